// Public face of the outbound guard: address policy, the guarded HTTP client and the guarded fetch for SDKs.
export { isBlockedIp, parseAllowRule, type AllowRule } from './ip-policy'
export { createSafeHttpClient, type SafeHttpClient, type SafeHttpClientOptions } from './http-client'
export { createOutboundGuard, type OutboundPolicy } from './guard'
export { createTcpGuard, type TcpGuard } from './tcp-guard'
export { createGuardedFetch, type GuardedFetch } from './guarded-fetch'
