// The Webhook trigger's caller checks, through the real node:http webhook listener (server.ts's) over a real socket:
// header secret, HMAC signature (GitHub style, and timestamped with a replay window), basic auth, an IP allowlist of
// exact CIDR ranges (IPv4, IPv6, v4-mapped; X-Forwarded-For only behind a trusted proxy), and the per-workflow rate
// limit. A refused call gets 401/403/429 with a reason and starts no run.
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as credentials from '../../../app/api/credentials/route'
import { webhookDeps } from '../../../lib/composition/web-services'
import { resetEnv } from '../../../lib/env'
import { ipAllowed } from '../../../lib/http/webhook-auth'
import { createWebhookListener } from '../../../lib/http/webhook-listener'
import { parseRange } from '../../../lib/nodes/webhook-trigger/auth-params'
import { closeAppServices } from '../../../lib/services/app'
import { webhookRate, webhookRefusals } from '../../../lib/services/webhook-ingress'

const RATE = 8
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let server: Server
let base = ''

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_RATE_WEBHOOK: String(RATE), AUTERITY_RATE_API: '100000' })
  a = await seedTenant(t.db.prisma)
  const handle = createWebhookListener(webhookDeps)
  server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await closeAppServices()
  await t.teardown()
})

let seq = 0
async function hook(params: Record<string, unknown>): Promise<{ path: string; runs: () => Promise<number> }> {
  const path = `sec/${++seq}`
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: path, graph: chain(node.webhook(path, 'onReceived', params)), active: true } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  const id = res.json.id as string
  return { path, runs: () => t.db.prisma.execution.count({ where: { workflowId: id } }) }
}

async function credential(kind: string, data: Record<string, string>): Promise<string> {
  const res = await call(credentials.POST, { method: 'POST', headers: a.headers, body: { name: kind, kind, data } })
  expect(res.status).toBe(201)
  return res.json.id
}

async function send(path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(base + path, { method: 'POST', body: init.body ?? '{"order":7}', headers: { 'content-type': 'application/json', ...init.headers } })
  const json = (await res.json().catch(() => null)) as any
  return { status: res.status, reason: json?.error?.message as string | undefined, res }
}

describe('webhook authentication', () => {
  it('header secret: refuses a missing or wrong value, runs on the right one', async () => {
    const cred = await credential('apiKey', { headerName: 'X-Hook-Secret', value: 's3cret-value' })
    const h = await hook({ auth: 'header', credential: cred })
    const before = webhookRefusals[401] ?? 0
    expect(await send(h.path)).toMatchObject({ status: 401, reason: expect.stringContaining('X-Hook-Secret') })
    expect((await send(h.path, { headers: { 'x-hook-secret': 's3cret-valuE' } })).status).toBe(401)
    expect((await send(h.path, { headers: { 'x-hook-secret': 's3cret-value-longer' } })).status).toBe(401)
    // Other spellings of the path find the same trigger (doubled slashes are dropped) or none: never an unchecked run.
    for (const spelling of [`/${h.path}`, h.path.replace('/', '//'), `${h.path}/`, h.path.toUpperCase(), `./${h.path}`]) {
      expect([401, 404], spelling).toContain((await send(spelling)).status)
    }
    expect(await h.runs()).toBe(0)
    expect(webhookRefusals[401]).toBeGreaterThanOrEqual(before + 3)
    expect((await send(h.path, { headers: { 'x-hook-secret': 's3cret-value' } })).status).toBe(202)
    expect(await h.runs()).toBe(1)
  })

  it('HMAC, GitHub style: sha256=<hex> of the raw body; a changed body or a wrong secret is refused', async () => {
    const cred = await credential('cryptoSecret', { secret: 'gh-secret' })
    const h = await hook({ auth: 'hmac', credential: cred })
    const body = '{"action":"opened","number":1}'
    const sign = (b: string, secret = 'gh-secret') => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`
    expect((await send(h.path, { body })).status).toBe(401)
    expect((await send(h.path, { body, headers: { 'x-hub-signature-256': sign(body, 'other') } })).status).toBe(401)
    expect((await send(h.path, { body: body.replace('1', '2'), headers: { 'x-hub-signature-256': sign(body) } })).status).toBe(401)
    expect(await h.runs()).toBe(0)
    expect((await send(h.path, { body, headers: { 'x-hub-signature-256': sign(body) } })).status).toBe(202)
    expect(await h.runs()).toBe(1)
  })

  it('HMAC with a timestamp: signs "<t>.<body>", refuses a replay outside the window', async () => {
    const cred = await credential('cryptoSecret', { secret: 'ts-secret' })
    const h = await hook({ auth: 'hmac', credential: cred, signatureHeader: 'x-signature', signatureAlgorithm: 'sha1', signaturePrefix: '', signatureEncoding: 'base64', timestampHeader: 'x-timestamp', toleranceSeconds: 60 })
    const body = '{"event":"paid"}'
    const at = (seconds: number) => {
      const ts = String(seconds)
      return { 'x-timestamp': ts, 'x-signature': createHmac('sha1', 'ts-secret').update(`${ts}.${body}`).digest('base64') }
    }
    const now = Math.floor(Date.now() / 1000)
    const replay = await send(h.path, { body, headers: at(now - 600) })
    expect(replay).toMatchObject({ status: 401, reason: expect.stringContaining('window') })
    expect((await send(h.path, { body, headers: at(now + 600) })).status).toBe(401)
    expect((await send(h.path, { body, headers: { ...at(now), 'x-timestamp': String(now - 1) } })).status).toBe(401)
    expect(await h.runs()).toBe(0)
    expect((await send(h.path, { body, headers: at(now) })).status).toBe(202)
    expect(await h.runs()).toBe(1)
  })

  it('basic auth: a Basic auth credential', async () => {
    const cred = await credential('basicAuth', { username: 'hook', password: 'pa:ss' })
    const h = await hook({ auth: 'basic', credential: cred })
    const basic = (v: string) => ({ authorization: `Basic ${Buffer.from(v).toString('base64')}` })
    expect((await send(h.path)).status).toBe(401)
    expect((await send(h.path, { headers: basic('hook:pass') })).status).toBe(401)
    expect(await h.runs()).toBe(0)
    expect((await send(h.path, { headers: basic('hook:pa:ss') })).status).toBe(202)
  })

  it('IP allowlist: exact CIDR matching on the socket address; X-Forwarded-For only behind a trusted proxy', async () => {
    const outside = await hook({ ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] })
    const inside = await hook({ ipAllowlist: ['127.0.0.1/32'] })
    const mapped = await hook({ ipAllowlist: ['::ffff:127.0.0.0/104'] })
    const before = webhookRefusals[403] ?? 0
    expect(await send(outside.path)).toMatchObject({ status: 403, reason: expect.stringContaining('address') })
    // Anyone can write the header: without AUTERITY_TRUST_PROXY it is not believed.
    expect((await send(outside.path, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(403)
    expect(await outside.runs()).toBe(0)
    expect(webhookRefusals[403]).toBe(before + 2)
    expect((await send(inside.path)).status).toBe(202)
    expect((await send(mapped.path)).status).toBe(202)

    process.env.AUTERITY_TRUST_PROXY = '1'
    resetEnv()
    try {
      // Behind the proxy, its last entry (the address it saw) counts; what the client wrote before it does not.
      expect((await send(outside.path, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(202)
      expect((await send(outside.path, { headers: { 'x-forwarded-for': '10.1.2.3, 192.0.2.1' } })).status).toBe(403)
      expect((await send(outside.path, { headers: { 'x-forwarded-for': '2001:db8:ffff::1' } })).status).toBe(202)
      expect((await send(outside.path, { headers: { 'x-forwarded-for': '2001:db9::1' } })).status).toBe(403)
    } finally {
      delete process.env.AUTERITY_TRUST_PROXY
      resetEnv()
    }
  })

  it('matches CIDR ranges exactly at their edges', () => {
    const r = (...c: string[]) => c.map((x) => parseRange(x)!)
    expect(ipAllowed('192.168.1.255', r('192.168.1.0/24'))).toBe(true)
    expect(ipAllowed('192.168.2.0', r('192.168.1.0/24'))).toBe(false)
    expect(ipAllowed('10.0.0.1', r('10.0.0.0/32'))).toBe(false)
    expect(ipAllowed('::ffff:10.0.0.7', r('10.0.0.0/29'))).toBe(true)
    expect(ipAllowed('10.0.0.8', r('10.0.0.0/29'))).toBe(false)
    expect(ipAllowed('2001:db8::1', r('2001:db8::/127'))).toBe(true)
    expect(ipAllowed('2001:db8::2', r('2001:db8::/127'))).toBe(false)
    expect(ipAllowed('not-an-ip', r('0.0.0.0/0'))).toBe(false)
    expect(ipAllowed(undefined, r('0.0.0.0/0'))).toBe(false)
    expect(parseRange('10.0.0.0/33')).toBeNull()
  })

  it('refuses a save with a malformed allowlist entry, naming the field', async () => {
    const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'bad', graph: chain(node.webhook('sec/bad', 'onReceived', { ipAllowlist: ['10.0.0.0/33'] })), active: true } })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.json)).toContain('ipAllowlist')
  })
})

describe('webhook rate limit', () => {
  it('answers 429 with Retry-After once a workflow is over its limit, and starts no run for it', async () => {
    const h = await hook({})
    for (let i = 0; i < RATE; i++) expect((await send(h.path)).status).toBe(202)
    // The count reaches Redis in batches (lib/http/webhook-rate.ts); a call over the limit is refused once it did.
    expect((await send(h.path)).status).toBe(202)
    await webhookRate().flushAll()
    const over = await send(h.path)
    expect(over.status).toBe(429)
    expect(Number(over.res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(over.reason).toContain(`${RATE} per`)
    expect(await h.runs()).toBe(RATE + 1)
    // Another workflow is not held back.
    expect((await send((await hook({})).path)).status).toBe(202)
  })
})
