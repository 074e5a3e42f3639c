// Turns resolved params + credential into the HttpRequestSpec, and a response into an output item.
import { NodeError, type CredentialData, type HttpRequestSpec, type HttpResponseData, type Item } from '../../engine/types'
import { assertCredentialHost } from '../../credentials/hosts'
import { kvToRecord } from '../params'
import type { HttpRequestParams } from './definition'

export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k]
  headers[name] = value
}

export function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase())
}

/** Credential headers win over headers typed into the node. */
export function applyCredential(headers: Record<string, string>, cred: CredentialData | undefined): void {
  if (!cred) return
  const d = cred.data
  switch (cred.kind) {
    case 'apiKey':
      if (!d.headerName || d.value === undefined) throw credentialError(cred, 'needs headerName and value')
      return setHeader(headers, d.headerName, d.value)
    case 'bearer':
      if (!d.token) throw credentialError(cred, 'needs a token')
      return setHeader(headers, 'Authorization', `Bearer ${d.token}`)
    case 'basicAuth':
      if (d.username === undefined) throw credentialError(cred, 'needs a username')
      return setHeader(headers, 'Authorization', `Basic ${Buffer.from(`${d.username}:${d.password ?? ''}`).toString('base64')}`)
    case 'customHeaders': {
      let parsed: unknown
      try {
        parsed = JSON.parse(d.headers ?? '{}')
      } catch {
        throw credentialError(cred, 'has headers that are not valid JSON')
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw credentialError(cred, 'headers must be a JSON object')
      for (const [k, v] of Object.entries(parsed)) setHeader(headers, k, String(v))
      return
    }
    case 'oauth2ClientCredentials':
    case 'oauth2AuthorizationCode':
      // lib/credentials/oauth put a live access token in `accessToken` when the step loaded the credential.
      if (!d.accessToken) throw credentialError(cred, 'has no access token (connect it in Settings → Credentials)')
      return setHeader(headers, 'Authorization', `Bearer ${d.accessToken}`)
    default:
      throw credentialError(cred, `of kind "${cred.kind}" cannot authenticate an HTTP request`)
  }
}

function credentialError(cred: CredentialData, problem: string): NodeError {
  return new NodeError(`Credential ${cred.id} ${problem}`, { code: 'CREDENTIAL_INVALID', field: 'credential' })
}

function jsonText(value: unknown): string {
  if (typeof value === 'string') {
    try {
      JSON.parse(value)
    } catch (err) {
      throw new NodeError(`jsonBody is not valid JSON: ${(err as Error).message}`, { code: 'INVALID_PARAM', field: 'jsonBody' })
    }
    return value
  }
  return JSON.stringify(value ?? null)
}

/** `idempotencyKey`: sent in `p.idempotencyKeyHeader` when that names a header. */
export function buildRequestSpec(p: HttpRequestParams, cred: CredentialData | undefined, signal: AbortSignal, idempotencyKey?: string): HttpRequestSpec {
  // A credential limited to some hosts never leaves for another (checked before anything is sent).
  if (cred) assertCredentialHost(cred, p.url)
  const headers = kvToRecord(p.headers)
  applyCredential(headers, cred)
  if (p.idempotencyKeyHeader && idempotencyKey !== undefined) setHeader(headers, p.idempotencyKeyHeader, idempotencyKey)
  let body: string | undefined
  if (p.bodyType === 'json') {
    body = jsonText(p.jsonBody)
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json'
  } else if (p.bodyType === 'form') {
    body = new URLSearchParams(Object.entries(kvToRecord(p.formBody))).toString()
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded'
  } else if (p.bodyType === 'raw') {
    body = p.rawBody ?? ''
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = p.contentType
  }
  return {
    method: p.method,
    url: p.url,
    headers,
    query: kvToRecord(p.query),
    body,
    timeoutMs: p.timeoutMs,
    maxRedirects: p.followRedirects ? p.maxRedirects : 0,
    signal,
  }
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))|image\/svg\+xml)/i

/** Answers read as JSON or text; anything else is binary (kept as a file in auto mode). A missing type counts as text. */
export function isTextual(contentType: string): boolean {
  return contentType === '' || TEXTUAL.test(contentType)
}

export function toOutputItem(res: HttpResponseData, format: HttpRequestParams['responseFormat']): Item {
  const contentType = res.headers['content-type'] ?? ''
  const buf = Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength)
  const base = { status: res.status, headers: res.headers }
  if (format === 'text') return { ...base, body: buf.toString('utf8') }
  if (format === 'json') {
    if (buf.length === 0) return { ...base, body: null }
    try {
      return { ...base, body: JSON.parse(buf.toString('utf8')) }
    } catch {
      throw new NodeError(`Expected a JSON response from ${new URL(res.url).host} but got ${contentType || 'no content type'}: ${buf.toString('utf8', 0, 200)}`, {
        code: 'HTTP_INVALID_JSON',
        field: 'responseFormat',
      })
    }
  }
  if (/[/+]json\b/i.test(contentType) && buf.length > 0) {
    try {
      return { ...base, body: JSON.parse(buf.toString('utf8')) }
    } catch {
      return { ...base, body: buf.toString('utf8') }
    }
  }
  if (buf.length === 0 || contentType === '' || TEXTUAL.test(contentType)) return { ...base, body: buf.toString('utf8') }
  return { ...base, body: buf.toString('base64'), bodyEncoding: 'base64' }
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

export function httpStatusError(p: HttpRequestParams, res: HttpResponseData): NodeError {
  const status = res.status
  const retryable = status >= 500 || status === 429 || status === 408
  const snippet = Buffer.from(res.body).toString('utf8', 0, 500)
  const url = new URL(res.url)
  return new NodeError(`${p.method} ${url.origin}${url.pathname} answered ${status}${snippet ? `: ${snippet}` : ''}`, {
    code: 'HTTP_STATUS',
    retryable,
    details: { status, body: snippet, retryAfterMs: retryAfterMs(res.headers['retry-after']) },
  })
}
