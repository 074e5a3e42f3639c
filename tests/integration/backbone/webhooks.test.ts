// Webhooks through the route handler with a real worker: both response modes, limits, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitForStatus } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as webhook from '../../../app/api/webhooks/[...path]/route'
import { closeAppServices } from '../../../lib/services/app'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resetEnv } from '../../../lib/env'
import { createWebhookListener, isWebhookRequest } from '../../../lib/http/webhook-listener'
import { webhookDeps } from '../../../lib/composition/web-services'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker
const LIMIT = 1024

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_WEBHOOK_BODY_LIMIT: String(LIMIT) })
  a = await seedTenant(t.db.prisma)
  worker = await startTestWorker(t)
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

async function createWorkflow(graph: unknown) {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Hook', graph, active: true } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

// The same scenarios through both entries: Next's route handler and server.ts's node:http listener.
let listenerBase = ''
let listener: Server | undefined
beforeAll(async () => {
  const handle = createWebhookListener(webhookDeps)
  listener = createServer((req, res) => (isWebhookRequest(req.url) ? void handle(req, res) : void res.writeHead(404).end()))
  await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve))
  listenerBase = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve())))

type HookInit = { method?: string; body?: BodyInit; headers?: Record<string, string>; query?: string }
type Entry = 'route handler' | 'node:http listener'

function send(entry: Entry, path: string, init: HookInit = {}): Promise<Response> {
  const reqInit = {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    body: init.body,
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit
  if (entry === 'node:http listener') return fetch(`${listenerBase}/api/webhooks/${path}${init.query ?? ''}`, reqInit)
  const req = new Request(`http://localhost/api/webhooks/${path}${init.query ?? ''}`, reqInit)
  return Promise.resolve(webhook.POST(req, { params: Promise.resolve({ path: path.split('/') }) }))
}

describe.each<Entry>(['route handler', 'node:http listener'])('webhooks through the %s', (entry) => {
  const hook = (path: string, init: HookInit = {}) => send(entry, path, init)
  const p = (path: string) => `${entry === 'route handler' ? 'r' : 'n'}/${path}`

  it('answers 202 at once and runs with { body, headers, query, method, path }', async () => {
    await createWorkflow(chain(node.webhook(p('orders/new')), node.set('s', { seen: true })))
    const res = await hook(p('orders/new'), { body: JSON.stringify({ id: 7 }), query: '?src=test' })
    expect(res.status).toBe(202)
    const { executionId } = await res.json()
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 's' } })
    expect((step.output as { main: unknown[] }).main[0]).toMatchObject({ body: { id: 7 }, query: { src: 'test' }, method: 'POST', path: p('orders/new'), seen: true })
    expect(await t.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } })).toMatchObject({ mode: 'webhook', startNodeId: 'hook' })
  })

  it('answers with the Respond node when finished', async () => {
    await createWorkflow(
      chain(node.webhook(p('echo'), 'lastNode'), node.code('c', 'return items.map(i => ({ doubled: i.body.n * 2 }))'), node.respond('respond', { statusCode: 201 })),
    )
    const res = await hook(p('echo'), { body: JSON.stringify({ n: 21 }) })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ doubled: 42 })
  })

  it('answers with the last node\'s first item when there is no Respond node', async () => {
    await createWorkflow(chain(node.webhook(p('last'), 'lastNode'), node.set('s', { answer: 'yes' })))
    const res = await hook(p('last'), { body: '{}' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ answer: 'yes' })
  })

  it('answers 500 when the run fails and 504 when it is too slow', async () => {
    await createWorkflow(chain(node.webhook(p('boom'), 'lastNode'), node.code('c', 'throw new Error("kaboom")')))
    const failed = await hook(p('boom'), { body: '{}' })
    expect(failed.status).toBe(500)
    expect((await failed.json()).error.message).toContain('kaboom')

    await createWorkflow(chain(node.webhook(p('slow'), 'lastNode', { timeoutMs: 1000 }), node.wait('w', 5000)))
    expect((await hook(p('slow'), { body: '{}' })).status).toBe(504)
  })

  it.each([
    ['unknown path', () => hook('nobody/here', { body: '{}' }), 404],
    ['wrong method', () => hook(p('orders/new'), { method: 'PUT', body: '{}' }), 405],
    ['malformed JSON', () => hook(p('orders/new'), { body: '{"id": ' }), 400],
    ['declared length over the limit', () => hook(p('orders/new'), { body: 'x'.repeat(LIMIT + 1), headers: { 'content-type': 'text/plain', 'content-length': String(LIMIT + 1) } }), 413],
    [
      'streamed body over the limit',
      () => {
        const chunk = new TextEncoder().encode('y'.repeat(512))
        let sent = 0
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 4) controller.enqueue(chunk)
            else controller.close()
          },
        })
        return hook(p('orders/new'), { body, headers: { 'content-type': 'text/plain' } })
      },
      413,
    ],
    ['a malformed percent-encoded path', () => hook('bad%E0%A4%A/path', { body: '{}' }), entry === 'route handler' ? 404 : 400],
  ])('refuses %s', async (_, send, status) => {
    const res = await send()
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBeTruthy()
  })
})

// Session theft through webhooks: a visitor's studio credentials never reach run data, and an answer cannot act
// on the studio's origin (sandboxed, never sniffed, active content downloaded unless the workflow allows inline).
describe.each<Entry>(['route handler', 'node:http listener'])('webhook safety through the %s', (entry) => {
  const hook = (path: string, init: HookInit = {}) => send(entry, path, init)
  const p = (path: string) => `${entry === 'route handler' ? 'r' : 'n'}/safety/${path}`
  const visitor = {
    'content-type': 'application/json',
    cookie: 'next-auth.session-token=SESSION; theme=dark; __Secure-next-auth.session-token.0=CHUNK0; next-auth.csrf-token=CSRF; __Host-next-auth.csrf-token=HOSTCSRF',
    authorization: 'Bearer CALLER-TOKEN',
    'proxy-authorization': 'Basic PROXY',
    'x-auth-request-access-token': 'SSO-TOKEN',
    'x-request-id': 'r-1',
  }

  async function recorded(executionId: string) {
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const execution = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId }, include: { steps: true } })
    return { headers: (execution.input as Array<{ headers: Record<string, string> }>)[0].headers, all: JSON.stringify(execution) }
  }

  it('records neither the session cookies nor Authorization or proxy credentials', async () => {
    await createWorkflow(chain(node.webhook(p('steal')), node.set('s', { seen: true })))
    const res = await hook(p('steal'), { body: '{}', headers: visitor })
    expect(res.status).toBe(202)
    const { headers, all } = await recorded((await res.json()).executionId)
    expect(headers).toMatchObject({ cookie: 'theme=dark', 'x-request-id': 'r-1' })
    expect(headers).not.toHaveProperty('authorization')
    for (const secret of ['SESSION', 'CHUNK0', 'CSRF', 'CALLER-TOKEN', 'PROXY', 'SSO-TOKEN']) expect(all).not.toContain(secret)
  })

  it('keeps Authorization when the trigger asks for it, still without the session cookies', async () => {
    await createWorkflow(chain(node.webhook(p('bearer'), 'onReceived', { keepAuthorizationHeader: true }), node.set('s', { seen: true })))
    const res = await hook(p('bearer'), { body: '{}', headers: visitor })
    const { headers, all } = await recorded((await res.json()).executionId)
    expect(headers).toMatchObject({ authorization: 'Bearer CALLER-TOKEN', cookie: 'theme=dark' })
    expect(all).not.toContain('SESSION')
    expect(all).not.toContain('PROXY')
  })

  const hostile = [
    { name: 'Content-Type', value: 'text/html; charset=utf-8' },
    { name: 'Content-Security-Policy', value: 'default-src *' },
    { name: 'X-Content-Type-Options', value: 'sniff' },
    { name: 'Content-Disposition', value: 'inline' },
    { name: 'Clear-Site-Data', value: '"cookies"' },
    { name: 'X-Kept', value: 'yes' },
  ]
  const page = '<script>fetch("/api/credentials")</script>'

  it('serves HTML sandboxed, unsniffed and as a download, whatever headers the workflow sets', async () => {
    await createWorkflow(chain(node.webhook(p('html'), 'lastNode'), node.respond('respond', { respondWith: 'text', text: page, headers: hostile })))
    const res = await hook(p('html'), { body: '{}', headers: visitor })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-disposition')).toBe('attachment')
    expect(res.headers.get('clear-site-data')).toBeNull()
    expect(res.headers.get('x-kept')).toBe('yes')
    expect(await res.text()).toBe(page)
  })

  it('with allowInline serves HTML inline, still sandboxed and unsniffed', async () => {
    await createWorkflow(chain(node.webhook(p('inline'), 'lastNode'), node.respond('respond', { respondWith: 'text', text: page, headers: hostile, allowInline: true })))
    const res = await hook(p('inline'), { body: '{}' })
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-disposition')).toBe('inline')
  })

  it('refuses a Set-Cookie for the studio session cookie', async () => {
    const setCookie = [{ name: 'Set-Cookie', value: 'next-auth.session-token=FIXED; Path=/; HttpOnly' }]
    await createWorkflow(chain(node.webhook(p('fixate'), 'lastNode'), node.respond('respond', { respondWith: 'text', text: 'hi', headers: setCookie })))
    const res = await hook(p('fixate'), { body: '{}' })
    expect(res.status).toBe(500)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect((await res.json()).error.message).toMatch(/Set-Cookie/)
  })

  it('marks every answer nosniff and sandboxed: the default answer, 202s and errors', async () => {
    await createWorkflow(chain(node.webhook(p('plain'), 'lastNode'), node.set('s', { answer: 'yes' })))
    const answers = [await hook(p('plain'), { body: '{}' }), await hook(p('steal'), { body: '{}' }), await hook('nobody/here', { body: '{}' })]
    expect(answers.map((r) => r.status)).toEqual([200, 202, 404])
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/)
    }
  })
})

// server.ts routes by Host itself (tests/unit/http/request-router.test.ts); the route handler checks the same.
describe('the route handler with a public webhook origin', () => {
  beforeAll(() => {
    process.env.AUTERITY_WEBHOOK_URL = 'https://hooks.example.com'
    resetEnv()
  })
  afterAll(() => {
    delete process.env.AUTERITY_WEBHOOK_URL
    resetEnv()
  })

  it('answers on the webhook host and refuses the studio host', async () => {
    await createWorkflow(chain(node.webhook('origin/hook'), node.set('s', { seen: true })))
    const on = (host: string) => webhook.POST(new Request('http://localhost/api/webhooks/origin/hook', { method: 'POST', headers: { host }, body: '{}' }), { params: Promise.resolve({ path: ['origin', 'hook'] }) })
    expect((await on('hooks.example.com')).status).toBe(202)
    const refused = await on('studio.example.com')
    expect(refused.status).toBe(404)
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await refused.json()).error.message).toBe('Webhooks are answered on https://hooks.example.com, not on this host')
  })
})
