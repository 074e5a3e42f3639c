// Runs before every page and API route Next answers: a fresh CSP nonce per request (Next reads it from the request's
// Content-Security-Policy header and puts it on its own scripts), the security headers, HSTS behind TLS, and the
// CORS rule for /api/* (lib/http/security-headers.ts). Authorization is not decided here: every route handler and
// page checks the session itself (lib/auth/context.ts), so a request that skips this file gains nothing.
import { NextResponse, type NextRequest } from 'next/server'
import { env } from './lib/env'
import { contentSecurityPolicy, corsDecision, HSTS, newNonce, STATIC_SECURITY_HEADERS, arrivedOverTls } from './lib/http/security-headers'

export function proxy(req: NextRequest) {
  const config = env()
  const cors = corsDecision(req.method, req.nextUrl.pathname, req.headers.get('origin'), config.cors.origins)
  if (cors.kind === 'refuse') {
    return new NextResponse(null, { status: 403, headers: { ...STATIC_SECURITY_HEADERS, vary: 'Origin' } })
  }
  if (cors.kind === 'preflight') return new NextResponse(null, { status: 204, headers: { ...STATIC_SECURITY_HEADERS, ...cors.headers } })

  const https = arrivedOverTls(req.headers, req.url, config.publicUrl)
  const nonce = newNonce()
  const csp = contentSecurityPolicy({ nonce, host: req.headers.get('host'), https, dev: process.env.NODE_ENV !== 'production' })
  const requestHeaders = new Headers(req.headers)
  requestHeaders.set('x-nonce', nonce)
  requestHeaders.set('content-security-policy', csp)
  const res = NextResponse.next({ request: { headers: requestHeaders } })
  res.headers.set('content-security-policy', csp)
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(name, value)
  if (https) res.headers.set('strict-transport-security', HSTS)
  if (cors.kind === 'allow') for (const [name, value] of Object.entries(cors.headers)) res.headers.set(name, value)
  return res
}

export const config = {
  // Built assets are static files: next.config.js gives them the static headers; they need no nonce.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
}
