// The outbound guard for raw TCP connections to user-given hosts (Redis, SMTP, databases): the same policy as HTTP
// (lib/net/guard.ts). The host is resolved once and the caller dials the vetted address it gets back, keeping the
// name only for TLS (SNI and certificate checks), so a DNS answer cannot change between the check and the connect.
import { isIP } from 'node:net'
import { NodeError } from '../engine/types'
import { addressPolicy, defaultResolve, ssrfError, stripBrackets, type OutboundPolicy } from './guard'

export interface TcpGuard {
  /** The address to dial for `host:port`, or a non-retryable SSRF_BLOCKED NodeError against `field`. */
  vet(host: string, port: number, field: string): Promise<string>
}

export function createTcpGuard(policy: Omit<OutboundPolicy, 'field'> = {}): TcpGuard {
  const allowed = addressPolicy(policy)
  const resolve = policy.resolve ?? defaultResolve
  return {
    async vet(rawHost, port, field) {
      const host = stripBrackets(rawHost.trim())
      if (!host) throw new NodeError('The host is empty', { code: 'INVALID_HOST', field })
      let addresses: string[]
      try {
        addresses = isIP(host) ? [host] : await resolve(host)
      } catch (err) {
        const code = (err as { code?: string }).code
        // A name that does not exist (ENOTFOUND) is a typo or a removed host: retrying will not help; a DNS server that
        // did not answer (EAI_AGAIN) may answer next time.
        throw new NodeError(`Could not resolve ${host} (for ${host}:${port}): ${code ?? (err as Error).message}`, { code: 'HOST_NOT_FOUND', field, retryable: code === 'EAI_AGAIN', cause: err })
      }
      const vetted = addresses.find((a) => allowed(host, a, port))
      if (!vetted) throw ssrfError(host, addresses[0] ?? 'no address', port, isIP(host) ? 'url' : 'dns', field)
      return vetted
    },
  }
}
