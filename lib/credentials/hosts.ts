// Where a credential may be sent: exact hostnames, `*.example.com` (any subdomain, not example.com itself) and
// `host:port` (that port only; without a port any port). Empty = any host. Checked before a request carrying the
// credential is sent (lib/nodes/http-request/request-spec.ts), so a typo'd or injected URL cannot leak it.
import { z } from 'zod'
import { NodeError, type CredentialData } from '../engine/types'
import type { TcpGuard } from '../net/tcp-guard'

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const MAX_HOSTS = 50

/** Lower-cased, trailing dot dropped; null when it is not a hostname, `*.suffix`, IP literal or one of those with :port. */
export function normalizeHostPattern(raw: string): string | null {
  const value = raw.trim().toLowerCase().replace(/\.$/, '')
  const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value)
  if (!m) return null
  const [, host, port] = m
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null
  const name = host.startsWith('*.') ? host.slice(2) : host
  if (!host.startsWith('[')) {
    const labels = name.split('.')
    if (name.length > 253 || labels.some((l) => !LABEL.test(l))) return null
  }
  return port === undefined ? host : `${host}:${port}`
}

export const allowedHostsSchema = z
  .array(z.string().max(260))
  .max(MAX_HOSTS, `at most ${MAX_HOSTS} hosts`)
  .transform((list, ctx) => {
    const out: string[] = []
    list.forEach((raw, i) => {
      if (raw.trim() === '') return
      const host = normalizeHostPattern(raw)
      if (host === null) ctx.addIssue({ code: 'custom', path: [i], message: `"${raw}" is not a hostname, *.domain or host:port` })
      else if (!out.includes(host)) out.push(host)
    })
    return out
  })

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '')
}

/** Whether `url` may receive a credential limited to `allowed` (empty: any). */
export function hostAllowed(allowed: readonly string[], url: URL): boolean {
  if (allowed.length === 0) return true
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  const port = portOf(url)
  return allowed.some((pattern) => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(pattern)
    if (!m) return false
    if (m[2] !== undefined && m[2] !== port) return false
    const want = m[1]
    return want.startsWith('*.') ? host.endsWith(want.slice(1)) && host.length > want.length - 1 : host === want
  })
}

/** The host as shown in errors: the URL's host (with port when it has one), or the raw text when it is no URL. */
export function describeHost(url: string): { url: URL | null; host: string } {
  try {
    const parsed = new URL(url)
    return { url: parsed, host: parsed.host }
  } catch {
    return { url: null, host: url.slice(0, 200) }
  }
}

/** Fails the step, before anything is sent, when `url` is not a host the credential may go to. */
export function assertCredentialHost(cred: CredentialData, url: string): void {
  const allowed = cred.allowedHosts ?? []
  if (allowed.length === 0) return
  const target = describeHost(url)
  if (target.url && hostAllowed(allowed, target.url)) return
  throw hostRefused(cred, target.host, allowed, 'url')
}

/** Like assertCredentialHost for a raw TCP target (Redis, SMTP, brokers, databases): `host:port` as a URL would be. */
export function assertCredentialTarget(cred: CredentialData | undefined, host: string, port: number, field = 'credential'): void {
  const allowed = cred?.allowedHosts ?? []
  if (allowed.length === 0) return
  const bare = host.trim().replace(/^\[|\]$/g, '')
  let url: URL | null = null
  try {
    url = new URL(`tcp://${bare.includes(':') ? `[${bare}]` : bare}:${port}`)
  } catch {
    url = null
  }
  if (url && hostAllowed(allowed, url)) return
  throw hostRefused(cred!, `${host}:${port}`, allowed, field)
}

function hostRefused(cred: CredentialData, target: string, allowed: readonly string[], field: string): NodeError {
  const name = cred.name ? `"${cred.name}"` : cred.id
  return new NodeError(`Credential ${name} may not be sent to ${target}: it is limited to ${allowed.join(', ')}`, {
    code: 'CREDENTIAL_HOST_NOT_ALLOWED',
    field,
  })
}

/** A TCP guard that refuses, before resolving anything, a target the credential may not be sent to. */
export function credentialGuard(guard: TcpGuard, cred: CredentialData | undefined): TcpGuard {
  if (!cred?.allowedHosts?.length) return guard
  return {
    vet: async (host, port, field) => {
      assertCredentialTarget(cred, host, port, field)
      return guard.vet(host, port, field)
    },
  }
}

/** A fetch that refuses, before sending anything, a URL the credential may not be sent to (redirects included:
 * callers pass a fetch that follows redirects itself through this one, or none at all). */
export function credentialFetch(fetchFn: typeof fetch, cred: Pick<CredentialData, 'id' | 'name' | 'allowedHosts'> | undefined, field = 'url'): typeof fetch {
  const allowed = cred?.allowedHosts ?? []
  if (allowed.length === 0) return fetchFn
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const target = describeHost(raw)
    if (!target.url || !hostAllowed(allowed, target.url)) throw hostRefused(cred as CredentialData, target.host, allowed, field)
    return fetchFn(input, init)
  }) as typeof fetch
}
