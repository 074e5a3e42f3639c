import { describe, expect, it } from 'vitest'
import { NextRequest } from 'next/server'
import { STATIC_SECURITY_HEADERS as CONFIG_HEADERS } from '../../../next.config.js'
import { arrivedOverTls, contentSecurityPolicy, corsDecision, STATIC_SECURITY_HEADERS } from '../../../lib/http/security-headers'
import { resetEnv } from '../../../lib/env'
import { proxy } from '../../../proxy'

describe('security headers', () => {
  it('next.config.js gives assets the same static headers proxy.ts gives pages', () => {
    expect(CONFIG_HEADERS).toEqual(STATIC_SECURITY_HEADERS)
  })

  it('the CSP carries the nonce, blocks framing, plugins, base and form hijacks, and lets Socket.IO connect', () => {
    const csp = contentSecurityPolicy({ nonce: 'abc', host: 'studio.example:3000', https: false, dev: false })
    for (const directive of ["default-src 'self'", "script-src 'self' 'nonce-abc' 'strict-dynamic'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'", "connect-src 'self' ws://studio.example:3000"]) {
      expect(csp).toContain(directive)
    }
    expect(csp).not.toContain('unsafe-eval')
    // A forged Host cannot add sources; dev mode adds eval for next dev's fast refresh.
    const odd = contentSecurityPolicy({ nonce: 'n', host: 'x"; script-src *', https: true, dev: true })
    expect(odd).toContain("connect-src 'self';")
    expect(odd).toContain("'strict-dynamic' 'unsafe-eval'")
  })

  it.each([
    [{ 'x-forwarded-proto': 'https' }, 'http://localhost/', undefined, true],
    [{ 'x-forwarded-proto': 'http' }, 'http://localhost/', undefined, false],
    [{}, 'http://localhost/', 'https://studio.example', true],
    [{}, 'http://localhost/', 'http://localhost:3000', false],
  ])('TLS from %j %s %s: %s', (headers, url, publicUrl, tls) => {
    expect(arrivedOverTls(new Headers(headers), url, publicUrl)).toBe(tls)
  })

  it.each([
    ['OPTIONS', '/api/workflows', 'https://evil.example', [], 'refuse'],
    ['OPTIONS', '/api/workflows', null, [], 'refuse'],
    ['POST', '/api/workflows', 'https://evil.example', [], 'none'],
    ['OPTIONS', '/api/workflows', 'https://app.example', ['https://app.example'], 'preflight'],
    ['GET', '/api/workflows', 'https://app.example', ['https://app.example'], 'allow'],
    ['OPTIONS', '/workflows', 'https://app.example', ['https://app.example'], 'none'],
  ] as const)('CORS %s %s from %s (allowed %j): %s', (method, path, origin, allowed, kind) => {
    const d = corsDecision(method, path, origin, allowed)
    expect(d.kind).toBe(kind)
    if (d.kind === 'allow' || d.kind === 'preflight') {
      expect(d.headers['access-control-allow-origin']).toBe(origin)
      expect(d.headers).not.toHaveProperty('access-control-allow-credentials')
    }
  })
})

describe('proxy.ts', () => {
  const run = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => proxy(new NextRequest(url, init))

  it('answers a page with the CSP (a fresh nonce each time), the static headers, and HSTS only behind TLS', () => {
    const a = run('http://localhost/workflows', { headers: { host: 'localhost' } })
    const b = run('http://localhost/workflows', { headers: { host: 'localhost', 'x-forwarded-proto': 'https' } })
    const nonce = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1]
    expect(nonce(a.headers.get('content-security-policy'))).toBeTruthy()
    expect(nonce(a.headers.get('content-security-policy'))).not.toBe(nonce(b.headers.get('content-security-policy')))
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) expect(a.headers.get(name)).toBe(value)
    expect(a.headers.get('strict-transport-security')).toBeNull()
    expect(b.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    // Next reads the nonce for its own scripts from the request it forwards.
    expect(a.headers.get('x-middleware-request-x-nonce')).toBe(nonce(a.headers.get('content-security-policy')))
  })

  it('refuses API preflights unless AUTERITY_CORS_ORIGINS lists the origin, and never allows credentials', () => {
    const preflight = { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } }
    const closed = run('http://localhost/api/workflows', preflight)
    expect(closed.status).toBe(403)
    expect(closed.headers.get('access-control-allow-origin')).toBeNull()
    process.env.AUTERITY_CORS_ORIGINS = 'https://app.example/, https://other.example'
    resetEnv()
    try {
      const open = run('http://localhost/api/workflows', preflight)
      expect(open.status).toBe(204)
      expect(open.headers.get('access-control-allow-origin')).toBe('https://app.example')
      expect(open.headers.get('access-control-allow-credentials')).toBeNull()
      const get = run('http://localhost/api/workflows', { headers: { origin: 'https://app.example' } })
      expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example')
      expect(run('http://localhost/api/workflows', { headers: { origin: 'https://evil.example' } }).headers.get('access-control-allow-origin')).toBeNull()
    } finally {
      delete process.env.AUTERITY_CORS_ORIGINS
      resetEnv()
    }
  })
})
