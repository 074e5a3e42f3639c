// What a webhook may record of a request and what it may send back. Webhooks answer on a public path of the
// studio's own origin (unless AUTERITY_WEBHOOK_URL gives them one of their own), so a visitor's browser sends its
// studio cookies along and renders what a workflow answers as if the studio had served it. Both directions are
// filtered here, once for both entries (the node:http listener and the Next route handler).
import { isSignInCookie } from '../auth/cookies'

/**
 * On every webhook answer. The sandbox gives an HTML answer an opaque origin without scripts, forms or plugins,
 * so even displayed inline it cannot read the studio's cookies or call its API with them; inline styles and
 * images stay allowed so a workflow can still answer a readable page.
 */
export const WEBHOOK_ANSWER_PROTECTIONS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
})

/** Credentials a sign-in proxy in front of the studio (oauth2-proxy, Cloudflare Access, Google IAP, AWS ALB, Azure) adds. */
const IDENTITY_HEADERS = new Set(['proxy-authorization', 'x-forwarded-access-token', 'cf-access-jwt-assertion', 'x-goog-iap-jwt-assertion'])
const IDENTITY_HEADER_PREFIXES = ['x-auth-request-', 'x-amzn-oidc-', 'x-ms-token-']

function isIdentityHeader(name: string): boolean {
  if (IDENTITY_HEADERS.has(name)) return true
  for (const prefix of IDENTITY_HEADER_PREFIXES) if (name.startsWith(prefix)) return true
  return false
}

/** Lower-case names; values as node:http gives them (an array only for a repeated set-cookie) or as Web Headers do. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>

export function headerValue(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value.join(', ')
}

/**
 * The request headers a run records, flattened to strings: without the visitor's sign-in cookies, proxy
 * credentials, and `authorization` unless the trigger keeps it (callers that authenticate with a bearer token).
 * The one copy of the headers a request makes.
 */
export function recordedRequestHeaders(headers: RequestHeaders, keepAuthorization: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headerValue(headers[name])
    if (value === undefined) continue
    if (name === 'cookie') {
      const cookie = withoutSignInCookies(value)
      if (cookie) out.cookie = cookie
    } else if (name === 'authorization' ? keepAuthorization : !isIdentityHeader(name)) {
      out[name] = value
    }
  }
  return out
}

function withoutSignInCookies(header: string): string {
  const parts = header.split(';')
  const kept = parts.filter((part) => !isSignInCookie(cookieName(part)))
  return kept.length === parts.length ? header : kept.map((p) => p.trim()).join('; ')
}

/** `name` of `name=value` (a Cookie pair or a Set-Cookie value). */
export function cookieName(pair: string): string {
  const eq = pair.indexOf('=')
  return (eq < 0 ? pair : pair.slice(0, eq)).trim()
}

/**
 * Headers the server alone decides on a webhook answer: its protections, the message framing, and headers that
 * act on the whole origin rather than on this answer (logging visitors out, HSTS, service-worker scope, error
 * reporting endpoints that would see the studio's URLs, an alternative host, a browser password prompt).
 */
const SERVER_OWNED_HEADERS = new Set([
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
  'clear-site-data',
  'strict-transport-security',
  'service-worker-allowed',
  'nel',
  'report-to',
  'reporting-endpoints',
  'alt-svc',
  'www-authenticate',
  'proxy-authenticate',
])

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/
// Mirrors node:http's check: a value it would throw on is dropped instead of failing the answer.
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/

/** Content a browser only displays: anything else (HTML, SVG, XML, PDF, scripts, unknown types) is active. */
const PASSIVE_TYPES = new Set(['text/plain', 'text/csv', 'application/json', 'application/octet-stream', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'])

export function isPassiveContentType(contentType: string): boolean {
  // Browsers take the last of comma-separated types ("text/plain;a=,text/html" is HTML).
  if (contentType.includes(',')) return false
  const semi = contentType.indexOf(';')
  const mime = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  return PASSIVE_TYPES.has(mime) || mime.endsWith('+json') || mime.startsWith('audio/') || mime.startsWith('video/')
}

/**
 * The headers of a Respond node's answer: the workflow's own (minus server-owned ones, malformed ones and a
 * Set-Cookie for a sign-in cookie), the default content type, `attachment` for active content unless the node
 * allows inline display, and the protections.
 */
export function webhookAnswerHeaders(workflowHeaders: Record<string, unknown> | undefined, defaultType: string | undefined, allowInline: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key in workflowHeaders) {
    const name = key.toLowerCase()
    const value = String(workflowHeaders[key])
    if (!TOKEN.test(name) || INVALID_VALUE.test(value) || SERVER_OWNED_HEADERS.has(name)) continue
    if (name === 'set-cookie' && isSignInCookie(cookieName(value))) continue
    out[name] = value
  }
  if (defaultType !== undefined) out['content-type'] ??= defaultType
  const type = out['content-type']
  if (!allowInline && type !== undefined && !isPassiveContentType(type) && !/^\s*attachment\b/i.test(out['content-disposition'] ?? '')) {
    out['content-disposition'] = 'attachment'
  }
  return Object.assign(out, WEBHOOK_ANSWER_PROTECTIONS)
}
