import { describe, expect, it } from 'vitest'
import { webhookTrigger } from '@/lib/nodes/webhook-trigger/definition'
import { runNode } from './harness'

describe('webhook-trigger', () => {
  const request = { body: { order: 7 }, headers: { 'content-type': 'application/json' }, query: { debug: '1' }, method: 'POST', path: 'orders/new' }

  it('outputs the request item', async () => {
    const { output } = await runNode(webhookTrigger, { params: { path: 'orders/new' }, items: [request] })
    expect(output.main).toEqual([request])
  })

  it('fills the documented shape for a partial item', async () => {
    const { output } = await runNode(webhookTrigger, { params: { path: 'hook', method: 'PUT' }, items: [{ body: 'x' }] })
    expect(output.main).toEqual([{ body: 'x', headers: {}, query: {}, method: 'PUT', path: 'hook' }])
  })

  it('applies defaults; an empty path is left for the server to choose', () => {
    expect(webhookTrigger.params.parse({})).toEqual({
      path: '', method: 'POST', responseMode: 'onReceived', timeoutMs: 30_000, keepAuthorizationHeader: false,
      // No caller check unless asked (lib/http/webhook-auth.ts); the HMAC fields default to GitHub's signature.
      auth: 'none', signatureHeader: 'x-hub-signature-256', signatureAlgorithm: 'sha256', signaturePrefix: 'sha256=', signatureEncoding: 'hex',
      timestampHeader: '', toleranceSeconds: 300, ipAllowlist: [],
    })
  })

  it.each([
    ['/orders/new/', 'orders/new'],
    ['a//b', 'a/b'],
    [' v1.2/hook~x ', 'v1.2/hook~x'],
  ])('normalises the path %j to %j', (path, expected) => {
    expect(webhookTrigger.params.parse({ path }).path).toBe(expected)
  })

  it.each([['a b'], ['../etc'], ['a/./b'], ['a?b'], ['ü'], ['x'.repeat(201)]])('rejects the path %j', (path) => {
    const result = webhookTrigger.params.safeParse({ path })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0].path).toEqual(['path'])
  })

  it.each([['GET'], ['DELETE']])('accepts method %s', (method) => {
    expect(webhookTrigger.params.parse({ path: 'x', method }).method).toBe(method)
  })

  it('rejects an unknown method and response mode', () => {
    expect(webhookTrigger.params.safeParse({ path: 'x', method: 'TRACE' }).success).toBe(false)
    expect(webhookTrigger.params.safeParse({ path: 'x', responseMode: 'never' }).success).toBe(false)
  })
})
