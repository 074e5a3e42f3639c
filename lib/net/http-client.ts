// The one outbound HTTP client for user-controlled URLs. Every connection is vetted at connect time
// against the address it actually dials (defeats DNS rebinding), every redirect hop is re-checked,
// and responses are size- and time-bounded.
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import type { Readable, Transform } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { Agent, buildConnector, request as undiciRequest } from 'undici'
import { NodeError, type HttpClient, type HttpRequestSpec, type HttpResponseData } from '../engine/types'
import { isBlockedIp, isLinkLocalIp, parseAllowRule, ruleAllows, type AllowRule } from './ip-policy'

export interface SafeHttpClientOptions {
  /** Let requests reach private, loopback, CGNAT and unique-local addresses (link-local/metadata stays blocked). */
  allowPrivateNetworks?: boolean
  /** Hostnames (`api.internal`, `*.corp`), `host:port`, IPs, `ip:port` or CIDRs that may be reached anyway. */
  allowList?: string[]
  /** Default 50 MB. */
  maxResponseBytes?: number
  userAgent?: string
  /** Default request timeout when the spec gives none. Default 30 s. */
  defaultTimeoutMs?: number
  /** DNS resolution; replaceable so tests can simulate hostnames pointing at internal addresses. */
  resolve?: (hostname: string) => Promise<string[]>
}

export interface SafeHttpClient extends HttpClient {
  close(): Promise<void>
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024
const DEFAULT_MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
])

const defaultResolve = async (hostname: string) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip()
    case 'deflate':
      return createInflate()
    case 'br':
      return createBrotliDecompress()
    default:
      return undefined
  }
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

function effectivePort(protocol: string, port: string | number | undefined): number {
  const n = Number(port)
  return n > 0 ? n : protocol === 'https:' ? 443 : 80
}

function ssrfError(host: string, address: string, port: number, stage: 'url' | 'dns'): NodeError {
  const shown = address === host ? host : `${host} (${address})`
  return new NodeError(
    `Blocked request to ${shown}: private, loopback, link-local and other internal addresses are not reachable from workflows. ` +
      `To allow it, add "${host.includes(':') ? `[${host}]` : host}:${port}" to AUTERITY_HTTP_ALLOWLIST, or set AUTERITY_HTTP_ALLOW_PRIVATE=true for private networks.`,
    { code: 'SSRF_BLOCKED', retryable: false, field: 'url', details: { host, address, port, stage } },
  )
}

function findNodeError(err: unknown): NodeError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof NodeError) return e
  }
  return undefined
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name)
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k.toLowerCase())))
}

export function createSafeHttpClient(opts: SafeHttpClientOptions = {}): SafeHttpClient {
  const rules: AllowRule[] = (opts.allowList ?? []).map(parseAllowRule)
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_BYTES
  const resolve = opts.resolve ?? defaultResolve
  const userAgent = opts.userAgent ?? 'AuterityStudio/0.1 (+workflow http client)'

  const allowed = (hostname: string, address: string, port: number): boolean => {
    if (rules.some((r) => ruleAllows(r, hostname, address, port))) return true
    if (!isBlockedIp(address)) return true
    // Opening private networks never opens link-local: that is where cloud metadata endpoints live.
    return opts.allowPrivateNetworks === true && !isLinkLocalIp(address)
  }

  const agent = new Agent({
    connect(connectOpts, callback) {
      const hostname = stripBrackets(connectOpts.hostname)
      const port = effectivePort(connectOpts.protocol, connectOpts.port)
      const addresses = isIP(hostname) ? Promise.resolve([hostname]) : resolve(hostname)
      addresses.then(
        (list) => {
          const vetted = list.filter((a) => allowed(hostname, a, port))
          if (vetted.length === 0) return callback(ssrfError(hostname, list[0] ?? 'no address', port, 'dns'), null)
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

  /** Refuse bad schemes and IP-literal targets before anything is dialled. */
  function checkUrl(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new NodeError(`Only http and https URLs can be requested, not "${url.protocol}"`, { code: 'HTTP_BAD_URL', field: 'url' })
    }
    const host = stripBrackets(url.hostname)
    const port = effectivePort(url.protocol, url.port)
    if (isIP(host) && !allowed(host, host, port)) throw ssrfError(host, host, port, 'url')
  }

  /** Reads (and decodes gzip/deflate/br) up to maxBytes of *decoded* body, so a compression bomb stops early. */
  async function readBody(body: Readable, encoding: string | undefined, url: URL): Promise<Uint8Array> {
    const decoder = decoderFor(encoding)
    const source: Readable = decoder ? body.pipe(decoder) : body
    if (decoder) body.on('error', (err) => decoder.destroy(err))
    const chunks: Uint8Array[] = []
    let total = 0
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength
        if (total > maxBytes) throw tooLarge(url)
        chunks.push(chunk)
      }
    } catch (err) {
      body.destroy()
      if (err instanceof NodeError || !decoder || (err as { code?: string }).code?.startsWith('UND_ERR')) throw err
      throw new NodeError(`Response from ${url.host} could not be decoded (${encoding}): ${(err as Error).message}`, { code: 'HTTP_BAD_ENCODING' })
    }
    return Buffer.concat(chunks)
  }

  function tooLarge(url: URL): NodeError {
    return new NodeError(`Response from ${url.host} is larger than the limit of ${maxBytes} bytes`, {
      code: 'HTTP_RESPONSE_TOO_LARGE',
      details: { limitBytes: maxBytes },
    })
  }

  async function request(spec: HttpRequestSpec): Promise<HttpResponseData> {
    let url: URL
    try {
      url = new URL(spec.url)
    } catch {
      throw new NodeError(`"${spec.url}" is not a valid URL`, { code: 'HTTP_BAD_URL', field: 'url' })
    }
    for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.append(k, v)
    let headers: Record<string, string> = { ...(spec.headers ?? {}) }
    if (!hasHeader(headers, 'user-agent')) headers['user-agent'] = userAgent
    if (!hasHeader(headers, 'accept-encoding')) headers['accept-encoding'] = 'gzip, deflate, br'
    if (url.username || url.password) {
      if (!hasHeader(headers, 'authorization')) {
        const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')
        headers.authorization = `Basic ${basic}`
      }
      url.username = ''
      url.password = ''
    }
    let method = spec.method.toUpperCase()
    let body = spec.body
    const maxRedirects = spec.maxRedirects ?? DEFAULT_MAX_REDIRECTS
    const timeoutMs = spec.timeoutMs ?? opts.defaultTimeoutMs ?? 30_000
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout

    try {
      for (let hop = 0; ; hop++) {
        checkUrl(url)
        const res = await undiciRequest(url, { method: method as 'GET', headers, body, signal, dispatcher: agent })
        const location = res.headers.location
        if (REDIRECT_STATUSES.has(res.statusCode) && typeof location === 'string' && maxRedirects > 0) {
          await res.body.dump()
          if (hop + 1 > maxRedirects) {
            throw new NodeError(`Stopped after ${maxRedirects} redirects (last: ${url.origin}${url.pathname})`, {
              code: 'HTTP_TOO_MANY_REDIRECTS',
            })
          }
          const next = new URL(location, url)
          if (next.origin !== url.origin) headers = withoutHeaders(headers, ['authorization', 'cookie', 'proxy-authorization'])
          if (res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST') {
            method = 'GET'
            body = undefined
            headers = withoutHeaders(headers, ['content-type', 'content-length', 'content-encoding'])
          }
          url = next
          continue
        }
        const declared = Number(res.headers['content-length'])
        if (declared > maxBytes) {
          res.body.destroy()
          throw tooLarge(url)
        }
        const responseHeaders = headerRecord(res.headers)
        const encoding = responseHeaders['content-encoding']
        const bytes = await readBody(res.body, encoding, url)
        if (decoderFor(encoding)) {
          // The body handed on is decoded: headers describing the wire form would mislead.
          delete responseHeaders['content-encoding']
          delete responseHeaders['content-length']
        }
        return { status: res.statusCode, headers: responseHeaders, body: bytes, url: url.toString() }
      }
    } catch (err) {
      const nodeError = findNodeError(err)
      if (nodeError) throw nodeError
      if (spec.signal?.aborted) throw spec.signal.reason ?? err
      if (timeout.aborted) {
        throw new NodeError(`Request to ${url.host} timed out after ${timeoutMs} ms`, { code: 'HTTP_TIMEOUT', retryable: true, details: { timeoutMs } })
      }
      const code = (err as { code?: string }).code ?? ''
      throw new NodeError(`Request to ${url.host} failed: ${(err as Error).message}${code ? ` (${code})` : ''}`, {
        code: 'HTTP_NETWORK_ERROR',
        retryable: RETRYABLE_NETWORK_CODES.has(code),
        details: { cause: code || undefined },
        cause: err,
      })
    }
  }

  return { request, close: () => agent.close() }
}
