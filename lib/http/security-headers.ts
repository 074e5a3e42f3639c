// The studio's security headers and its CORS rule, as pure functions: proxy.ts applies them to every page and API
// answer Next gives, next.config.js adds the static ones to everything else (assets), and webhook answers carry their
// own (lib/http/webhook-headers.ts). Kept free of Next imports so a unit test can read them.

/** Headers that never vary by request. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
})

export const HSTS = 'max-age=31536000; includeSubDomains'

export interface CspOptions {
  /** Fresh per request: Next puts it on its own inline scripts, the root layout on the theme script. */
  nonce: string
  /** The request's host, for the Socket.IO WebSocket (CSP's 'self' does not match ws: in every browser). */
  host?: string | null
  https: boolean
  /** `next dev` evaluates modules with eval() for fast refresh. */
  dev: boolean
}

/**
 * Scripts only from this origin or carrying the request's nonce ('strict-dynamic' lets those load the chunks they
 * import). Styles allow 'unsafe-inline': React renders style attributes (the canvas positions every node by one),
 * and a style cannot run code. Nothing may frame the studio, post its forms elsewhere or change its base URL.
 */
export function contentSecurityPolicy({ nonce, host, https, dev }: CspOptions): string {
  const socket = host && /^[a-z0-9.:[\]-]+$/i.test(host) ? ` ${https ? 'wss' : 'ws'}://${host}` : ''
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${socket}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ')
}

/** The request arrived over TLS: at this process, or at the proxy in front of it, or the studio's public URL says so. */
export function arrivedOverTls(headers: Pick<Headers, 'get'>, url: string, publicUrl: string | undefined): boolean {
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
  return proto === 'https' || url.startsWith('https:') || !!publicUrl?.startsWith('https:')
}

export function newNonce(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return btoa(String.fromCharCode(...bytes))
}

export type CorsDecision =
  /** Not a cross-origin API call: nothing to add. */
  | { kind: 'none' }
  /** A preflight we refuse (closed by default, or an origin not on the list). */
  | { kind: 'refuse' }
  /** A preflight from an allowed origin. */
  | { kind: 'preflight'; headers: Record<string, string> }
  /** An actual request from an allowed origin: these headers go on the answer. */
  | { kind: 'allow'; headers: Record<string, string> }

/**
 * CORS for /api/*: closed unless AUTERITY_CORS_ORIGINS lists the caller's origin. Allowed callers use API keys
 * (Authorization: Bearer), never the studio's cookies: credentials are not allowed, so a listed site still cannot
 * act as a signed-in person.
 */
export function corsDecision(method: string, pathname: string, origin: string | null, allowed: readonly string[]): CorsDecision {
  if (!pathname.startsWith('/api/')) return { kind: 'none' }
  const preflight = method === 'OPTIONS'
  const listed = origin !== null && allowed.includes(origin)
  if (!listed) return preflight ? { kind: 'refuse' } : { kind: 'none' }
  const base = { 'access-control-allow-origin': origin, vary: 'Origin' }
  if (!preflight) return { kind: 'allow', headers: base }
  return {
    kind: 'preflight',
    headers: {
      ...base,
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'authorization, content-type, idempotency-key',
      'access-control-max-age': '600',
    },
  }
}
