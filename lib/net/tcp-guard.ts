// The outbound policy for raw TCP clients (database drivers): the host a user typed is resolved here, every address
// is checked like an HTTP target's, and the driver is handed a vetted address to dial, never the name (a second
// lookup by the driver could answer differently: DNS rebinding).
import { isIP } from 'node:net'
import { addressPolicy, defaultResolve, ssrfError, type OutboundPolicy } from './guard'

export interface TcpGuard {
  /** The address to dial for `host:port`; rejects with SSRF_BLOCKED (reported against `field`) when none is allowed. */
  vet(host: string, port: number, field: string): Promise<string>
}

export function createTcpGuard(policy: Omit<OutboundPolicy, 'field'> = {}): TcpGuard {
  const allowed = addressPolicy(policy)
  const resolve = policy.resolve ?? defaultResolve
  return {
    async vet(rawHost, port, field) {
      const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost
      const addresses = isIP(host) ? [host] : await resolve(host)
      const vetted = addresses.find((a) => allowed(host, a, port))
      if (vetted === undefined) throw ssrfError(host, addresses[0] ?? 'no address', port, isIP(host) ? 'url' : 'dns', field)
      return vetted
    },
  }
}
