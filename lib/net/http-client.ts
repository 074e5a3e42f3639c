// The outbound HTTP client for user-controlled URLs (the HTTP node): sends through the guard (lib/net/guard.ts)
// and bounds responses in size and time.
import type { Readable, Transform } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { NodeError, type HttpClient, type HttpRequestSpec, type HttpResponseData, type HttpStreamResponse } from '../engine/types'
import { createOutboundGuard, findNodeError, type OutboundPolicy } from './guard'
import { tracingOn } from '../telemetry/spans'
import { traceOutbound } from '../telemetry/http-client'

export interface SafeHttpClientOptions extends Omit<OutboundPolicy, 'field'> {
  /** Default 50 MB. */
  maxResponseBytes?: number
  userAgent?: string
  /** Default request timeout when the spec gives none. Default 30 s. */
  defaultTimeoutMs?: number
}

export interface SafeHttpClient extends HttpClient {
  requestStream(spec: HttpRequestSpec & { maxBytes?: number }): Promise<HttpStreamResponse>
  close(): Promise<void>
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024
const DEFAULT_MAX_REDIRECTS = 5
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
])

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

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name)
}

export function createSafeHttpClient(opts: SafeHttpClientOptions = {}): SafeHttpClient {
  const guard = createOutboundGuard({ ...opts, field: 'url' })
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_BYTES
  const userAgent = opts.userAgent ?? 'AuterityStudio/0.1 (+workflow http client)'

  /** Decodes gzip/deflate/br and counts *decoded* bytes up to `limit`, so a compression bomb stops early. */
  async function* decoded(body: Readable, encoding: string | undefined, url: URL, limit: number): AsyncGenerator<Uint8Array> {
    const decoder = decoderFor(encoding)
    const source: Readable = decoder ? body.pipe(decoder) : body
    if (decoder) body.on('error', (err) => decoder.destroy(err))
    let total = 0
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength
        if (total > limit) throw tooLarge(url, limit)
        yield chunk
      }
    } catch (err) {
      if (err instanceof NodeError || !decoder || (err as { code?: string }).code?.startsWith('UND_ERR')) throw err
      throw new NodeError(`Response from ${url.host} could not be decoded (${encoding}): ${(err as Error).message}`, { code: 'HTTP_BAD_ENCODING' })
    } finally {
      body.destroy()
      decoder?.destroy()
    }
  }

  function tooLarge(url: URL, limit: number): NodeError {
    return new NodeError(`Response from ${url.host} is larger than the limit of ${limit} bytes`, {
      code: 'HTTP_RESPONSE_TOO_LARGE',
      details: { limitBytes: limit },
    })
  }

  /** Sends the request through the guard and answers with the status, headers and the decoded body stream. */
  async function open(spec: HttpRequestSpec, limit: number): Promise<{ response: Omit<HttpStreamResponse, 'body' | 'cancel'>; body: AsyncGenerator<Uint8Array>; raw: Readable; url: URL; fail: (err: unknown) => unknown }> {
    let url: URL
    try {
      url = new URL(spec.url)
    } catch {
      throw new NodeError(`"${spec.url}" is not a valid URL`, { code: 'HTTP_BAD_URL', field: 'url' })
    }
    for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.append(k, v)
    const headers: Record<string, string> = { ...(spec.headers ?? {}) }
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
    const maxRedirects = spec.maxRedirects ?? DEFAULT_MAX_REDIRECTS
    const timeoutMs = spec.timeoutMs ?? opts.defaultTimeoutMs ?? 30_000
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout
    const fail = (err: unknown): unknown => {
      const nodeError = findNodeError(err)
      if (nodeError) return nodeError
      if (spec.signal?.aborted) return spec.signal.reason ?? err
      if (timeout.aborted) {
        return new NodeError(`Request to ${url.host} timed out after ${timeoutMs} ms`, { code: 'HTTP_TIMEOUT', retryable: true, details: { timeoutMs } })
      }
      const code = (err as { code?: string }).code ?? ''
      return new NodeError(`Request to ${url.host} failed: ${(err as Error).message}${code ? ` (${code})` : ''}`, {
        code: 'HTTP_NETWORK_ERROR',
        retryable: RETRYABLE_NETWORK_CODES.has(code),
        details: { cause: code || undefined },
        cause: err,
      })
    }
    try {
      const sent = await guard.send(url, { method: spec.method.toUpperCase(), headers, body: spec.body, signal, maxRedirects })
      const res = sent.res
      url = sent.url
      const declared = Number(res.headers['content-length'])
      if (declared > limit) {
        res.body.destroy()
        throw tooLarge(url, limit)
      }
      const responseHeaders = headerRecord(res.headers)
      const encoding = responseHeaders['content-encoding']
      if (decoderFor(encoding)) {
        // The body handed on is decoded: headers describing the wire form would mislead.
        delete responseHeaders['content-encoding']
        delete responseHeaders['content-length']
      }
      return {
        response: { status: res.statusCode, headers: responseHeaders, url: url.toString() },
        body: decoded(res.body, encoding, url, limit),
        raw: res.body,
        url,
        fail,
      }
    } catch (err) {
      throw fail(err)
    }
  }

  async function request(spec: HttpRequestSpec): Promise<HttpResponseData> {
    const opened = await open(spec, maxBytes)
    const chunks: Uint8Array[] = []
    try {
      for await (const chunk of opened.body) chunks.push(chunk)
    } catch (err) {
      throw opened.fail(err)
    }
    return { ...opened.response, body: Buffer.concat(chunks) }
  }

  async function requestStream(spec: HttpRequestSpec & { maxBytes?: number }): Promise<HttpStreamResponse> {
    const opened = await open(spec, spec.maxBytes ?? maxBytes)
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        yield* opened.body
      } catch (err) {
        throw opened.fail(err)
      }
    }
    return { ...opened.response, body: body(), cancel: () => opened.raw.destroy() }
  }

  // A client span per request when the process exports traces (the whole answer for `request`, up to the headers
  // for `requestStream`, whose body the caller reads later); otherwise the plain functions, nothing in between.
  return {
    request: (spec) => (tracingOn() ? traceOutbound(spec.method, spec.url, () => request(spec)) : request(spec)),
    requestStream: (spec) => (tracingOn() ? traceOutbound(spec.method, spec.url, () => requestStream(spec)) : requestStream(spec)),
    close: () => guard.close(),
  }
}
