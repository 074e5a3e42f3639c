// The one outbound guard for user-supplied destinations (the HTTP node's URLs, AI deployments' base URLs).
// Every connection is vetted at connect time against the address it actually dials (defeats DNS rebinding),
// every redirect hop is re-checked, and a cross-origin redirect carries no header that could hold a secret.
// undici is imported with the first request a guard sends: processes make their guards at start, most never send.
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import { Readable } from 'node:stream'
import type { Agent, Dispatcher } from 'undici'
import { NodeError } from '../engine/types'
import { lazy } from '../lazy'
import { isBlockedIp, isLinkLocalIp, parseAllowRule, ruleAllows, type AllowRule } from './ip-policy'

export interface OutboundPolicy {
  /** Let requests reach private, loopback, CGNAT and unique-local addresses (link-local/metadata stays blocked). */
  allowPrivateNetworks?: boolean
  /** Hostnames (`api.internal`, `*.corp`), `host:port`, IPs, `ip:port` or CIDRs that may be reached anyway. */
  allowList?: string[]
  /** DNS resolution; replaceable so tests can simulate hostnames pointing at internal addresses. */
  resolve?: (hostname: string) => Promise<string[]>
  /** The param a refused destination is reported against: `url` (HTTP node), `baseUrl` (AI deployments). */
  field?: string
}

export interface GuardedRequest {
  method: string
  headers: Record<string, string>
  /** A stream is sent once: a redirect that would send the body again fails instead. */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>
  signal: AbortSignal
  maxRedirects: number
}

export interface OutboundGuard {
  /** Sends through the guard, following up to `maxRedirects` redirects; resolves with the final response. */
  send(url: URL, req: GuardedRequest): Promise<{ res: Dispatcher.ResponseData; url: URL }>
  close(): Promise<void>
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/**
 * Headers that survive a redirect to another origin. Any other header may carry a secret (an API-key header or
 * a custom header from a credential, a token typed into the node or pulled in by an expression), and the new
 * origin is a party the user never named; so instead of guessing which headers are secret, only these
 * content-negotiation headers go on. Same-origin redirects keep everything.
 */
const CROSS_ORIGIN_HEADERS = new Set(['accept', 'accept-encoding', 'accept-language', 'content-type', 'content-language', 'user-agent', 'cache-control', 'pragma'])

export const defaultResolve = async (hostname: string) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

export function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

function effectivePort(protocol: string, port: string | number | undefined): number {
  const n = Number(port)
  return n > 0 ? n : protocol === 'https:' ? 443 : 80
}

export function ssrfError(host: string, address: string, port: number, stage: 'url' | 'dns', field: string): NodeError {
  const shown = address === host ? host : `${host} (${address})`
  return new NodeError(
    `Blocked request to ${shown}${field === 'url' ? '' : ` (${field})`}: private, loopback, link-local and other internal addresses are not reachable from workflows. ` +
      `To allow it, add "${host.includes(':') ? `[${host}]` : host}:${port}" to AUTERITY_HTTP_ALLOWLIST, or set AUTERITY_HTTP_ALLOW_PRIVATE=true for private networks.`,
    { code: 'SSRF_BLOCKED', retryable: false, field, details: { host, address, port, stage } },
  )
}

export function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k.toLowerCase())))
}

export function crossOriginHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => CROSS_ORIGIN_HEADERS.has(k.toLowerCase())))
}

/** Whether `policy` lets a connection to `hostname` (resolved to `address`) on `port` through. */
export function addressPolicy(policy: OutboundPolicy): (hostname: string, address: string, port: number) => boolean {
  const rules: AllowRule[] = (policy.allowList ?? []).map(parseAllowRule)
  return (hostname, address, port) => {
    if (rules.some((r) => ruleAllows(r, hostname, address, port))) return true
    if (!isBlockedIp(address)) return true
    // Opening private networks never opens link-local: that is where cloud metadata endpoints live.
    return policy.allowPrivateNetworks === true && !isLinkLocalIp(address)
  }
}

const loadUndici = lazy(() => import('undici'))

export function createOutboundGuard(policy: OutboundPolicy = {}): OutboundGuard {
  const resolve = policy.resolve ?? defaultResolve
  const field = policy.field ?? 'url'
  const allowed = addressPolicy(policy)

  const makeAgent = ({ Agent, buildConnector }: typeof import('undici')) => new Agent({
    connect(connectOpts, callback) {
      const hostname = stripBrackets(connectOpts.hostname)
      const port = effectivePort(connectOpts.protocol, connectOpts.port)
      const addresses = isIP(hostname) ? Promise.resolve([hostname]) : resolve(hostname)
      addresses.then(
        (list) => {
          const vetted = list.filter((a) => allowed(hostname, a, port))
          if (vetted.length === 0) return callback(ssrfError(hostname, list[0] ?? 'no address', port, 'dns', field), null)
          // The socket may only dial vetted addresses (all of them, so Happy Eyeballs still works); the
          // name stays the host for TLS SNI and certificate checks.
          const lookup: LookupFunction = (_name, options, cb) => {
            if (options.all) cb(null, vetted.map((address) => ({ address, family: isIP(address) })))
            else cb(null, vetted[0], isIP(vetted[0]))
          }
          buildConnector({ lookup, maxCachedSessions: 0 })(connectOpts, callback)
        },
        (err: Error) => callback(err, null),
      )
    },
  })
  // One agent per guard, made with its first request.
  let agent: Promise<Agent> | undefined
  const dispatcher = () => (agent ??= loadUndici().then(makeAgent))

  /** Refuse bad schemes and IP-literal targets before anything is dialled. */
  function checkUrl(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new NodeError(`Only http and https URLs can be requested, not "${url.protocol}"`, { code: 'HTTP_BAD_URL', field })
    }
    const host = stripBrackets(url.hostname)
    const port = effectivePort(url.protocol, url.port)
    if (isIP(host) && !allowed(host, host, port)) throw ssrfError(host, host, port, 'url', field)
  }

  async function send(start: URL, req: GuardedRequest) {
    let url = start
    let { method, headers, body } = req
    const streamed = body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)
    for (let hop = 0; ; hop++) {
      checkUrl(url)
      const { request: undiciRequest } = await loadUndici()
      const payload = body === undefined || typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body)
      const res = await undiciRequest(url, { method: method as 'GET', headers, body: payload, signal: req.signal, dispatcher: await dispatcher() })
      const location = res.headers.location
      if (!(REDIRECT_STATUSES.has(res.statusCode) && typeof location === 'string' && req.maxRedirects > 0)) return { res, url }
      await res.body.dump()
      if (hop + 1 > req.maxRedirects) {
        throw new NodeError(`Stopped after ${req.maxRedirects} redirects (last: ${url.origin}${url.pathname})`, { code: 'HTTP_TOO_MANY_REDIRECTS' })
      }
      const next = new URL(location, url)
      if (next.origin !== url.origin) headers = crossOriginHeaders(headers)
      if (res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST') {
        method = 'GET'
        body = undefined
        headers = withoutHeaders(headers, ['content-type', 'content-length', 'content-encoding'])
      }
      if (streamed && body !== undefined) {
        throw new NodeError(`${url.origin}${url.pathname} redirected (${res.statusCode}) a request whose file body cannot be sent twice; call the final URL (${next.origin}${next.pathname}) instead`, {
          code: 'HTTP_REDIRECT_WITH_FILE',
          field: 'url',
        })
      }
      url = next
    }
  }

  return { send, close: async () => void (await agent?.then((a) => a.close(), () => undefined)) }
}

export function findNodeError(err: unknown): NodeError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof NodeError) return e
  }
  return undefined
}
