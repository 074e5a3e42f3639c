// Webhooks through the route handler with a real worker: both response modes, limits, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node, waitForStatus } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as webhook from '../../../app/api/webhooks/[...path]/route'
import { closeAppServices } from '../../../lib/services/app'
import { startWorkerRuntime, type RunningWorker } from '../../../lib/services/worker-runtime'
import { nodeRegistry } from '../../../lib/nodes/registry'
import { getDecryptedCredential } from '../../../lib/credentials'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker
const LIMIT = 1024

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_WEBHOOK_BODY_LIMIT: String(LIMIT) })
  a = await seedTenant(t.db.prisma)
  worker = await startWorkerRuntime({
    prisma: t.db.prisma,
    redisUrl: testRedisUrl(),
    queuePrefix: t.redis.prefix,
    registry: nodeRegistry,
    getCredential: getDecryptedCredential,
  })
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

async function createWorkflow(graph: unknown) {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Hook', graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

function hook(path: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string>; query?: string } = {}) {
  const req = new Request(`http://localhost/api/webhooks/${path}${init.query ?? ''}`, {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    body: init.body,
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit)
  return webhook.POST(req, { params: Promise.resolve({ path: path.split('/') }) })
}

describe('webhooks', () => {
  it('answers 202 at once and runs with { body, headers, query, method, path }', async () => {
    await createWorkflow(chain(node.webhook('orders/new'), node.set('s', { seen: true })))
    const res = await hook('orders/new', { body: JSON.stringify({ id: 7 }), query: '?src=test' })
    expect(res.status).toBe(202)
    const { executionId } = await res.json()
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 's' } })
    expect((step.output as { main: unknown[] }).main[0]).toMatchObject({ body: { id: 7 }, query: { src: 'test' }, method: 'POST', path: 'orders/new', seen: true })
    expect(await t.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } })).toMatchObject({ mode: 'webhook', startNodeId: 'hook' })
  })

  it('answers with the Respond node when finished', async () => {
    await createWorkflow(
      chain(node.webhook('echo', 'lastNode'), node.code('c', 'return items.map(i => ({ doubled: i.body.n * 2 }))'), node.respond('respond', { statusCode: 201 })),
    )
    const res = await hook('echo', { body: JSON.stringify({ n: 21 }) })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ doubled: 42 })
  })

  it('answers with the last node\'s first item when there is no Respond node', async () => {
    await createWorkflow(chain(node.webhook('last', 'lastNode'), node.set('s', { answer: 'yes' })))
    const res = await hook('last', { body: '{}' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ answer: 'yes' })
  })

  it('answers 500 when the run fails and 504 when it is too slow', async () => {
    await createWorkflow(chain(node.webhook('boom', 'lastNode'), node.code('c', 'throw new Error("kaboom")')))
    const failed = await hook('boom', { body: '{}' })
    expect(failed.status).toBe(500)
    expect((await failed.json()).error.message).toContain('kaboom')

    await createWorkflow(chain(node.webhook('slow', 'lastNode', { timeoutMs: 1000 }), node.wait('w', 5000)))
    expect((await hook('slow', { body: '{}' })).status).toBe(504)
  })

  it.each([
    ['unknown path', () => hook('nobody/here', { body: '{}' }), 404],
    ['wrong method', () => hook('orders/new', { method: 'PUT', body: '{}' }), 405],
    ['malformed JSON', () => hook('orders/new', { body: '{"id": ' }), 400],
    ['declared length over the limit', () => hook('orders/new', { body: 'x'.repeat(LIMIT + 1), headers: { 'content-type': 'text/plain', 'content-length': String(LIMIT + 1) } }), 413],
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
        return hook('orders/new', { body, headers: { 'content-type': 'text/plain' } })
      },
      413,
    ],
  ])('refuses %s', async (_, send, status) => {
    const res = await send()
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBeTruthy()
  })
})
