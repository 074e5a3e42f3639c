import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createRequestRouter, WebhookOrigin, type RouterParts } from '@/lib/http/request-router'
import { readEnv } from '@/lib/env'

const answer = (who: string) => (_req: unknown, res: import('node:http').ServerResponse) => void res.end(who)
const full = { webhooks: answer('webhooks'), studio: answer('studio') }

let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

async function serve(parts: RouterParts) {
  server = createServer(createRequestRouter(parts))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return (path: string, host: string) =>
    new Promise<{ status: number; body: string; nosniff: unknown }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body, nosniff: res.headers['x-content-type-options'] }))
      })
      req.on('error', reject).end()
    })
}

describe('request router', () => {
  it('without a webhook origin serves webhooks and the studio on any host', async () => {
    const get = await serve(full)
    expect((await get('/api/webhooks/a', 'studio.example.com')).body).toBe('webhooks')
    expect((await get('/workflows', 'studio.example.com')).body).toBe('studio')
    expect((await get('/api/webhooksx', 'studio.example.com')).body).toBe('studio')
    expect((await get('/api/webhooks-test/a', 'studio.example.com')).body).toBe('webhooks')
    expect((await get('/api/webhooks-testx/a', 'studio.example.com')).body).toBe('studio')
  })

  it.each([
    ['a webhook on the webhook host', '/api/webhooks/a', 'hooks.example.com', 200, 'webhooks'],
    ['a webhook on the webhook host with its default port', '/api/webhooks/a?x=1', 'HOOKS.example.com:443', 200, 'webhooks'],
    ['a studio page on the webhook host', '/workflows', 'hooks.example.com', 404, /answers webhooks only/],
    ['the studio API on the webhook host', '/api/credentials', 'hooks.example.com', 404, /answers webhooks only/],
    ['liveness on the webhook host', '/api/health/live', 'hooks.example.com', 200, '{"ok":true}'],
    ['a test webhook on the webhook host', '/api/webhooks-test/a', 'hooks.example.com', 200, 'webhooks'],
    ['a webhook on the studio host', '/api/webhooks/a', 'studio.example.com', 404, /answered on https:\/\/hooks\.example\.com/],
    ['a test webhook on the studio host', '/api/webhooks-test/a', 'studio.example.com', 404, /answered on/],
    ['a webhook on another port of the webhook host name', '/api/webhooks/a', 'hooks.example.com:8443', 404, /answered on/],
    ['a webhook without a Host', '/api/webhooks/a', '', 404, /answered on/],
    ['a studio page on the studio host', '/workflows', 'studio.example.com', 200, 'studio'],
  ])('with a webhook origin: %s', async (_, path, host, status, body) => {
    const get = await serve({ ...full, webhookOrigin: new WebhookOrigin('https://hooks.example.com') })
    const res = await get(path, host)
    expect(res.status).toBe(status)
    expect(res.body).toMatch(body)
    if (res.status === 404) expect(res.nosniff).toBe('nosniff')
  })

  it('a webhooks-only process answers webhooks and liveness, nothing else', async () => {
    const get = await serve({ webhooks: full.webhooks })
    expect((await get('/api/webhooks/a', 'x')).body).toBe('webhooks')
    expect((await get('/api/health/live', 'x')).status).toBe(200)
    expect((await get('/login', 'x')).status).toBe(404)
  })

  it('a webhooks-only process behind its own origin refuses webhooks for other hosts', async () => {
    const get = await serve({ webhooks: full.webhooks, webhookOrigin: new WebhookOrigin('http://127.0.0.1:8080') })
    expect((await get('/api/webhooks/a', '127.0.0.1:8080')).body).toBe('webhooks')
    expect((await get('/api/webhooks/a', 'studio.example.com')).status).toBe(404)
    expect((await get('/api/health/live', 'studio.example.com')).status).toBe(200)
  })

  it('matches the origin by host and port', () => {
    const origin = new WebhookOrigin('http://hooks.local:3001')
    expect([origin.matches('hooks.local:3001'), origin.matches('hooks.local'), origin.matches(undefined)]).toEqual([true, false, false])
    expect(new WebhookOrigin('http://hooks.local').matches('hooks.local:80')).toBe(true)
  })
})

describe('AUTERITY_WEBHOOK_URL', () => {
  const read = (value: string) => {
    const before = process.env.AUTERITY_WEBHOOK_URL
    process.env.AUTERITY_WEBHOOK_URL = value
    try {
      return readEnv().webhook.publicUrl
    } finally {
      if (before === undefined) delete process.env.AUTERITY_WEBHOOK_URL
      else process.env.AUTERITY_WEBHOOK_URL = before
    }
  }

  it.each([
    ['', undefined],
    ['https://Hooks.Example.com/', 'https://hooks.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('reads %j as %j', (value, expected) => expect(read(value)).toBe(expected))

  it.each(['hooks.example.com', 'https://hooks.example.com/base', 'https://hooks.example.com/?x=1', 'ftp://hooks.example.com', 'https://u:p@hooks.example.com'])(
    'refuses %j, naming the variable',
    (value) => expect(() => read(value)).toThrow(/AUTERITY_WEBHOOK_URL/),
  )

  it('stamps studio requests with the socket address, whatever the client claims, or the proxy-seen one when trusted', async () => {
    const seen: (string | undefined)[] = []
    const studio = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      seen.push(req.headers['x-auterity-client-ip'] as string | undefined)
      res.end('studio')
    }
    const call = (port: number, headers: Record<string, string>) =>
      new Promise<void>((resolve, reject) => request({ host: '127.0.0.1', port, path: '/login', headers }, (res) => res.resume().on('end', resolve)).on('error', reject).end())
    const spoof = { 'x-auterity-client-ip': '198.51.100.9', 'x-forwarded-for': '203.0.113.1, 203.0.113.2' }
    for (const trustProxy of [false, true]) {
      const s = createServer(createRequestRouter({ studio, trustProxy }))
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
      await call((s.address() as AddressInfo).port, spoof)
      await new Promise((resolve) => s.close(resolve))
    }
    expect(seen).toEqual(['127.0.0.1', '203.0.113.2'])
  })
})
