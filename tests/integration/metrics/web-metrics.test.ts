// The web process's metrics, scraped through GET /api/metrics as Prometheus would: off (404) until a token is set,
// 401 without it, then the whole exposition read by a strict parser. API calls, webhook calls (Next's route handler and
// server.ts's node:http listener) and refused sign-ins move their series by exactly what was done, labelled by route
// pattern and status class, never by an id; the database pool of this process shows up once it is open. A process
// without Next (server.ts --webhooks-only) answers the same scrape over node:http.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as metricsRoute from '../../../app/api/metrics/route'
import * as workflows from '../../../app/api/workflows/route'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as webhooks from '../../../app/api/webhooks/[...path]/route'
import { authOptions } from '../../../lib/auth/options'
import { webhookDeps } from '../../../lib/composition/web-services'
import { readEnv, resetEnv } from '../../../lib/env'
import { createWebhookListener } from '../../../lib/http/webhook-listener'
import { createMetricsListener } from '../../../lib/http/metrics-listener'
import { createRequestRouter } from '../../../lib/http/request-router'
import { closeAppServices } from '../../../lib/services/app'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { labelValues, parsePrometheusText, sampleValue, type Family } from '../../helpers/prom-text'
import { call, chain, node } from '../backbone/support'

const TOKEN = 'web-metrics-test-token-0123456789'
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let listener: Server
let listenerUrl: string

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  // What server.ts --webhooks-only runs: webhooks, liveness and the metrics, no Next.
  listener = createServer(createRequestRouter({ webhooks: createWebhookListener(webhookDeps), metrics: createMetricsListener() }))
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
})
afterAll(async () => {
  delete process.env.AUTERITY_METRICS_TOKEN
  resetEnv()
  await new Promise((r) => listener?.close(r))
  await closeAppServices()
  await t?.teardown()
})

function useToken(token: string | undefined) {
  if (token === undefined) delete process.env.AUTERITY_METRICS_TOKEN
  else process.env.AUTERITY_METRICS_TOKEN = token
  resetEnv()
}

async function scrape(): Promise<Map<string, Family>> {
  const res = await call(metricsRoute.GET as never, { url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
  expect(res.status).toBe(200)
  return parsePrometheusText(res.json)
}

describe('GET /api/metrics', () => {
  it('is off without a token, refuses a missing or wrong one, and answers valid Prometheus text to the right one', async () => {
    useToken(undefined)
    const off = await call(metricsRoute.GET as never, { url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(off.status).toBe(404)
    expect(off.json.error.message).toContain('AUTERITY_METRICS_TOKEN')

    useToken(TOKEN)
    const refusedHeaders: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }]
    for (const headers of refusedHeaders) {
      const refused = await call(metricsRoute.GET as never, { url: '/api/metrics', headers })
      expect(refused.status, JSON.stringify(headers)).toBe(401)
      expect(String(refused.res.headers.get('content-type'))).not.toContain('text/plain')
    }
    const ok = await call(metricsRoute.GET as never, { url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(ok.status).toBe(200)
    expect(ok.res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const families = parsePrometheusText(ok.json)
    expect(families.get('auterity_http_request_duration_seconds')?.type).toBe('histogram')
    expect(families.has('process_resident_memory_bytes')).toBe(true)
  })

  it('is answered the same by a process without Next, over node:http', async () => {
    useToken(TOKEN)
    expect((await fetch(`${listenerUrl}/api/metrics`)).status).toBe(401)
    expect((await fetch(`${listenerUrl}/api/metrics`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405)
    const ok = await fetch(`${listenerUrl}/api/metrics?x=1`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(parsePrometheusText(await ok.text()).get('auterity_webhook_request_duration_seconds')?.type).toBe('histogram')
    useToken(undefined)
    expect((await fetch(`${listenerUrl}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
    useToken(TOKEN)
  })

  it('refuses a token short enough to guess, naming the variable', () => {
    process.env.AUTERITY_METRICS_TOKEN = 'short'
    expect(() => readEnv()).toThrow(/AUTERITY_METRICS_TOKEN must be at least 16 characters/)
    useToken(TOKEN)
  })
})

describe('what the web process counts', () => {
  it('times API requests by route pattern, method and status class, with no id in any label', async () => {
    useToken(TOKEN)
    const before = await scrape()
    const created = await call(workflows.POST, { method: 'POST', url: '/api/workflows', headers: a.headers, body: { name: 'Timed', graph: chain(node.manual()) } })
    expect(created.status).toBe(201)
    const id = created.json.id as string
    for (let i = 0; i < 2; i++) expect((await call(workflow.GET, { url: `/api/workflows/${id}`, headers: a.headers, params: { id } })).status).toBe(200)
    const missing = 'cmissing0000000000000000'
    expect((await call(workflow.GET, { url: `/api/workflows/${missing}`, headers: a.headers, params: { id: missing } })).status).toBe(404)
    const after = await scrape()

    const count = (f: Map<string, Family>, labels: Record<string, string>) => sampleValue(f, 'auterity_http_request_duration_seconds_count', labels)
    const delta = (labels: Record<string, string>) => count(after, labels) - count(before, labels)
    expect(delta({ route: '/api/workflows', method: 'POST', status_class: '2xx' })).toBe(1)
    expect(delta({ route: '/api/workflows/[id]', method: 'GET', status_class: '2xx' })).toBe(2)
    expect(delta({ route: '/api/workflows/[id]', method: 'GET', status_class: '4xx' })).toBe(1)
    expect(sampleValue(after, 'auterity_http_request_duration_seconds_sum', { route: '/api/workflows/[id]', method: 'GET', status_class: '2xx' })).toBeGreaterThan(0)
    const values = labelValues(after)
    for (const secretish of [id, missing, a.tenantId, a.userId]) expect(values.some((v) => v.includes(secretish)), secretish).toBe(false)
  })

  it('times webhook calls as webhook calls, through the node:http listener and the route handler alike', async () => {
    const before = await scrape()
    const viaListener = await fetch(`${listenerUrl}/api/webhooks/no-such-hook`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect(viaListener.status).toBe(404)
    const viaRoute = await call(webhooks.POST, { method: 'POST', url: '/api/webhooks/also/missing', body: {}, params: { path: ['also', 'missing'] } })
    expect(viaRoute.status).toBe(404)
    const after = await scrape()
    const labels = { kind: 'production', method: 'POST', status_class: '4xx' }
    expect(sampleValue(after, 'auterity_webhook_request_duration_seconds_count', labels) - sampleValue(before, 'auterity_webhook_request_duration_seconds_count', labels)).toBe(2)
    // Not also an API request: the webhook path (the user's) is in no label.
    expect(labelValues(after).filter((v) => v.includes('webhooks') || v.includes('no-such-hook'))).toEqual([])
  })

  it('counts refused sign-ins by reason, through the sign-in the login form uses', async () => {
    const provider = authOptions.providers[0] as unknown as { options: { authorize(c: Record<string, string>, req: unknown): Promise<unknown> } }
    const signIn = (email: string, password: string) => provider.options.authorize({ email, password, code: '' }, { headers: { 'x-forwarded-for': '203.0.113.9' } })
    const before = await scrape()
    expect(await signIn(a.email, 'not the password')).toBeNull()
    expect(await signIn(a.email, 'still not it')).toBeNull()
    expect(await signIn('nobody@example.test', 'whatever')).toBeNull()
    expect(await signIn(a.email, a.password)).toMatchObject({ email: a.email })
    const after = await scrape()
    const delta = (reason: string) => sampleValue(after, 'auterity_signin_failures_total', { reason }) - sampleValue(before, 'auterity_signin_failures_total', { reason })
    expect(delta('password')).toBe(2)
    expect(delta('unknown_email')).toBe(1)
    expect(labelValues(after).some((v) => v.includes('example.test') || v.includes('203.0.113.9'))).toBe(false)
  })

  it('reports the web process’s database pool from its pg pool', async () => {
    await t.db.prisma.$queryRaw`SELECT 1` // the test's own client; the route calls above opened the web one
    const f = await scrape()
    expect(sampleValue(f, 'auterity_db_pool_max_connections', { pool: 'prisma' })).toBe(10)
    const open = sampleValue(f, 'auterity_db_pool_connections', { pool: 'prisma', state: 'idle' }) + sampleValue(f, 'auterity_db_pool_connections', { pool: 'prisma', state: 'in_use' })
    expect(open).toBeGreaterThan(0)
    expect(open).toBeLessThanOrEqual(10)
    expect(sampleValue(f, 'auterity_db_pool_waiting_requests', { pool: 'prisma' })).toBe(0)
  })
})
