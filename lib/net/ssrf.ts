// Public face of the outbound-HTTP guard: address policy + the guarded client.
export { isBlockedIp, parseAllowRule, type AllowRule } from './ip-policy'
export { createSafeHttpClient, type SafeHttpClient, type SafeHttpClientOptions } from './http-client'
