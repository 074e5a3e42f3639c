import { describe, expect, it } from 'vitest'
import { isSignInCookie } from '@/lib/auth/cookies'
import { isPassiveContentType, recordedRequestHeaders, webhookAnswerHeaders } from '@/lib/http/webhook-headers'

describe('isSignInCookie', () => {
  it.each([
    'next-auth.session-token',
    '__Secure-next-auth.session-token',
    '__Secure-next-auth.session-token.0',
    'next-auth.session-token.12',
    'next-auth.csrf-token',
    '__Host-next-auth.csrf-token',
    'next-auth.callback-url',
    '__Secure-next-auth.callback-url',
    'next-auth.pkce.code_verifier',
    '_oauth2_proxy',
    '_oauth2_proxy_1',
    'CF_Authorization',
    'AWSELBAuthSessionCookie-0',
  ])('%s is a sign-in cookie', (name) => expect(isSignInCookie(name)).toBe(true))

  it.each(['theme', 'session', 'next-auth', 'my-next-auth.session-token', '__Secure-theme', ''])('%j is not', (name) => expect(isSignInCookie(name)).toBe(false))
})

describe('recordedRequestHeaders', () => {
  const request = {
    'content-type': 'application/json',
    cookie: 'a=1; next-auth.session-token=S; b=2;__Secure-next-auth.session-token.1=T',
    authorization: 'Bearer X',
    'proxy-authorization': 'Basic P',
    'x-auth-request-access-token': 'O',
    'x-amzn-oidc-data': 'A',
    'x-ms-token-aad-id-token': 'M',
    'cf-access-jwt-assertion': 'C',
    'x-goog-iap-jwt-assertion': 'G',
    'x-forwarded-access-token': 'F',
    'x-request-id': 'r',
  }

  it('drops sign-in cookies, Authorization and proxy credentials, keeping the rest', () => {
    expect(recordedRequestHeaders(request, false)).toEqual({ 'content-type': 'application/json', cookie: 'a=1; b=2', 'x-request-id': 'r' })
  })

  it('keeps Authorization when asked (and nothing else more)', () => {
    expect(recordedRequestHeaders(request, true)).toEqual({ 'content-type': 'application/json', cookie: 'a=1; b=2', authorization: 'Bearer X', 'x-request-id': 'r' })
  })

  it('flattens repeated headers as node:http hands them over and skips absent ones', () => {
    expect(recordedRequestHeaders({ 'x-a': ['1', '2'], 'x-b': undefined }, false)).toEqual({ 'x-a': '1, 2' })
  })

  it('drops a cookie header made only of sign-in cookies and leaves others untouched', () => {
    expect(recordedRequestHeaders({ cookie: 'next-auth.session-token=S; next-auth.csrf-token=C' }, false)).toEqual({})
    expect(recordedRequestHeaders({ cookie: 'a=1;b=2' }, false)).toEqual({ cookie: 'a=1;b=2' })
  })
})

describe('webhook answers', () => {
  it.each([
    ['text/html', false],
    ['TEXT/HTML; charset=utf-8', false],
    ['application/xhtml+xml', false],
    ['image/svg+xml', false],
    ['text/xml', false],
    ['application/xml', false],
    ['application/pdf', false],
    ['application/javascript', false],
    ['made/up', false],
    ['', false],
    ['text/plain;a=,text/html', false],
    ['text/plain, text/html', false],
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['text/plain', true],
    ['text/csv', true],
    ['image/png', true],
    ['video/mp4', true],
  ])('%j is passive: %s', (type, passive) => expect(isPassiveContentType(type)).toBe(passive))

  const protections = { 'content-security-policy': expect.stringMatching(/^sandbox; default-src 'none'/), 'x-content-type-options': 'nosniff' }

  it('serves active content as a sandboxed download, whatever the workflow set', () => {
    const headers = webhookAnswerHeaders(
      { 'Content-Type': 'text/html', 'Content-Security-Policy': 'default-src *', 'X-Content-Type-Options': 'x', 'Content-Disposition': 'inline', 'X-Id': '7' },
      'text/plain',
      false,
    )
    expect(headers).toEqual({ 'content-type': 'text/html', 'content-disposition': 'attachment', 'x-id': '7', ...protections })
  })

  it('keeps an attachment disposition the workflow chose (its file name)', () => {
    expect(webhookAnswerHeaders({ 'content-type': 'image/svg+xml', 'content-disposition': 'attachment; filename="a.svg"' }, undefined, false)['content-disposition']).toBe(
      'attachment; filename="a.svg"',
    )
  })

  it('with allowInline adds no disposition but keeps the protections', () => {
    expect(webhookAnswerHeaders({ 'content-type': 'text/html', 'content-security-policy': "script-src 'unsafe-inline'" }, 'text/plain', true)).toEqual({
      'content-type': 'text/html',
      ...protections,
    })
  })

  it('leaves passive content inline and takes the default type', () => {
    expect(webhookAnswerHeaders({}, 'application/json', false)).toEqual({ 'content-type': 'application/json', ...protections })
    expect(webhookAnswerHeaders(undefined, undefined, false)).toEqual(protections)
  })

  it.each([
    ['set-cookie', 'next-auth.session-token=evil; Path=/'],
    ['Set-Cookie', '__Secure-next-auth.session-token=evil'],
    ['clear-site-data', '"cookies"'],
    ['strict-transport-security', 'max-age=1'],
    ['service-worker-allowed', '/'],
    ['nel', '{}'],
    ['report-to', '{}'],
    ['www-authenticate', 'Basic realm="Studio"'],
    ['content-length', '1'],
    ['transfer-encoding', 'chunked'],
    ['x-bad-value', 'a\r\nset-cookie: x=1'],
    ['bad name', 'x'],
  ])('drops %s', (name, value) => {
    expect(webhookAnswerHeaders({ [name]: value }, 'text/plain', false)).toEqual({ 'content-type': 'text/plain', ...protections })
  })

  it.each([
    ['set-cookie', 'theme=dark; Path=/'],
    ['location', 'https://example.com/'],
    ['access-control-allow-origin', '*'],
    ['cache-control', 'no-store'],
  ])('lets the workflow set %s', (name, value) => {
    expect(webhookAnswerHeaders({ [name]: value }, undefined, false)[name]).toBe(value)
  })
})
