// Runs end to end: API → queue → in-process worker → StepRun rows → realtime events on a real socket.io client.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connect, type Socket } from 'socket.io-client'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { call, chain, node, startSideEffectServer, waitFor, waitForStatus } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as testStepRoute from '../../../app/api/workflows/[id]/test-step/route'
import * as executions from '../../../app/api/executions/route'
import * as execution from '../../../app/api/executions/[id]/route'
import * as items from '../../../app/api/executions/[id]/steps/[nodeId]/items/route'
import * as cancel from '../../../app/api/executions/[id]/cancel/route'
import * as retry from '../../../app/api/executions/[id]/retry/route'
import * as stats from '../../../app/api/executions/stats/route'
import { closeAppServices } from '../../../lib/services/app'
import { PgItemStore } from '../../../lib/services/pg-item-store'
import { startWorkerRuntime, type RunningWorker } from '../../../workers/runtime/worker-runtime'
import { attachRealtime, type RealtimeServer } from '../../../lib/realtime/server'
import { nodeRegistry } from '../../../lib/nodes/registry'
import { getDecryptedCredential } from '../../../lib/credentials'
import { createRedis, redisConnection } from '../../../lib/redis'
import { createExecutionQueue } from '../../../lib/queue'
import type { ExecutionUpdatedEvent, StepUpdatedEvent } from '../../../lib/realtime/events'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
let api: Awaited<ReturnType<typeof startSideEffectServer>>
let worker: RunningWorker
let httpServer: Server
let realtime: RealtimeServer
let realtimeUrl: string

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  b = await seedTenant(t.db.prisma, { name: 'B' })
  api = await startSideEffectServer()
  worker = await startWorkerRuntime({
    prisma: t.db.prisma,
    redisUrl: testRedisUrl(),
    queuePrefix: t.redis.prefix,
    worker: { concurrency: 8 },
    http: { allowList: [`127.0.0.1:${api.port}`] },
    registry: nodeRegistry,
    getCredential: getDecryptedCredential,
    services: offlineHostServices(),
  })
  httpServer = createServer()
  realtime = attachRealtime(httpServer, { prisma: t.db.prisma, createRedis: () => createRedis(testRedisUrl()) })
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  realtimeUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
})
afterAll(async () => {
  await worker?.close()
  await realtime?.close()
  await api?.close()
  await closeAppServices()
  await t?.teardown()
})

async function createWorkflow(tenant: SeededTenant, graph: unknown) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Flow', graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

async function start(tenant: SeededTenant, workflowId: string, input?: unknown[]) {
  const res = await call(run.POST, { method: 'POST', headers: tenant.headers, params: { id: workflowId }, body: input ? { input } : {} })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json.executionId as string
}

function openSocket(token: string): Promise<Socket> {
  const socket = connect(realtimeUrl, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false })
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(socket))
    socket.on('connect_error', reject)
  })
}

function subscribe(socket: Socket, room: string): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => socket.emit('subscribe', { room }, resolve))
}

describe('a run', () => {
  it('records every step and streams events to a subscribed socket', async () => {
    const id = await createWorkflow(a, chain(node.manual(), node.set('double', { n: '{{ $json.n * 2 }}' }), node.code('sum', 'return [{ total: items.reduce((s, i) => s + i.n, 0) }]')))
    const socket = await openSocket(a.apiKey)
    expect(await subscribe(socket, `workflow:${id}`)).toEqual({ ok: true })
    const execs: ExecutionUpdatedEvent[] = []
    const steps: StepUpdatedEvent[] = []
    socket.on('execution.updated', (e: ExecutionUpdatedEvent) => execs.push(e))
    socket.on('step.updated', (e: StepUpdatedEvent) => steps.push(e))

    const executionId = await start(a, id, [{ n: 1 }, { n: 2 }, { n: 3 }])
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    await waitFor('final event', async () => execs.some((e) => e.executionId === executionId && e.status === 'succeeded'))
    socket.close()

    const detail = await call(execution.GET, { headers: a.headers, params: { id: executionId } })
    expect(detail.json).toMatchObject({ id: executionId, status: 'succeeded', versionNumber: 1, mode: 'manual' })
    const byNode = Object.fromEntries(detail.json.steps.map((s: { nodeId: string }) => [s.nodeId, s]))
    expect(byNode.double).toMatchObject({ status: 'succeeded', attempt: 1, inputCount: 3, outputCounts: { main: 3 } })
    // A chain step's input is stored as a reference to its upstream's output, and read back as the items.
    expect(byNode.sum.input).toEqual([{ n: 2 }, { n: 4 }, { n: 6 }])
    expect(byNode.double.input).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    const stored = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 'sum' }, select: { input: true } })
    expect(stored.input).toEqual({ $from: { node: 'double', port: 'main' } })
    expect(byNode.sum.output.main).toEqual([{ total: 12 }])
    expect(Math.abs(new Date(byNode.sum.finishedAt).getTime() - Date.now())).toBeLessThan(60_000)
    expect(Math.abs(new Date(detail.json.startedAt).getTime() - Date.now())).toBeLessThan(60_000)
    expect(steps.filter((s) => s.nodeId === 'sum').map((s) => s.status)).toEqual(['running', 'succeeded'])
    expect(execs.filter((e) => e.executionId === executionId).map((e) => e.status)).toEqual(expect.arrayContaining(['running', 'succeeded']))

    const page = await call(items.GET, { url: `/?port=main&page=0&pageSize=2`, headers: a.headers, params: { id: executionId, nodeId: 'double' } })
    expect(page.json).toEqual({ items: [{ n: 2 }, { n: 4 }], page: 0, pageSize: 2, total: 3 })
    // Small outputs live on their step rows only; a redelivered run reads them back from there.
    expect(await t.db.prisma.stepOutputPage.count({ where: { executionId } })).toBe(0)
    const resumed = new PgItemStore(t.db.prisma, executionId)
    const again: unknown[] = []
    for await (const p of resumed.pages('double', 'main')) again.push(...p)
    expect(again).toEqual([{ n: 2 }, { n: 4 }, { n: 6 }])
    expect(await resumed.count('double', 'main')).toBe(3)
  })

  it('keeps outputs larger than the step row preview in pages, and pages them through the API', async () => {
    const id = await createWorkflow(a, chain(node.manual(), node.code('many', 'return Array.from({ length: 150 }, (_, i) => ({ i }))'), node.code('last', 'return [{ n: items.length }]')))
    const executionId = await start(a, id)
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    expect(await t.db.prisma.stepOutputPage.count({ where: { executionId, nodeId: 'many' } })).toBeGreaterThan(0)
    expect(await t.db.prisma.stepOutputPage.count({ where: { executionId, nodeId: 'last' } })).toBe(0)
    const page = await call(items.GET, { url: `/?port=main&page=1&pageSize=100`, headers: a.headers, params: { id: executionId, nodeId: 'many' } })
    expect(page.json).toMatchObject({ total: 150, items: Array.from({ length: 50 }, (_, i) => ({ i: 100 + i })) })
    const last = await call(items.GET, { url: `/?port=main&page=0&pageSize=100`, headers: a.headers, params: { id: executionId, nodeId: 'last' } })
    expect(last.json).toMatchObject({ total: 1, items: [{ n: 150 }] })
  })

  it('lists executions newest first with a cursor, and counts them', async () => {
    const id = await createWorkflow(a, chain(node.manual()))
    const ids = [await start(a, id), await start(a, id), await start(a, id)]
    await Promise.all(ids.map((x) => waitForStatus(t.db.prisma, x, ['succeeded'])))
    const first = await call(executions.GET, { url: `/?workflowId=${id}&limit=2`, headers: a.headers })
    expect(first.json.executions.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]])
    expect(first.json.executions[0]).toMatchObject({ workflowName: 'Flow', status: 'succeeded' })
    const second = await call(executions.GET, { url: `/?workflowId=${id}&limit=2&cursor=${first.json.nextCursor}`, headers: a.headers })
    expect(second.json.executions.map((e: { id: string }) => e.id)).toEqual([ids[0]])
    expect(second.json.nextCursor).toBeNull()
    const counts = await call(stats.GET, { headers: a.headers })
    expect(counts.json.succeeded24h).toBeGreaterThanOrEqual(3)
    expect((await call(executions.GET, { url: `/?workflowId=${id}`, headers: b.headers })).json.executions).toEqual([])
  })

  it('cancels a running execution', async () => {
    const id = await createWorkflow(a, chain(node.manual(), node.wait('pause', 20_000), node.set('after', { x: 1 })))
    const executionId = await start(a, id)
    await waitFor('wait step running', () => t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause' } }))
    const res = await call(cancel.POST, { method: 'POST', headers: a.headers, params: { id: executionId } })
    expect(res).toMatchObject({ status: 202, json: { status: 'canceled' } })
    const row = await waitForStatus(t.db.prisma, executionId, ['canceled'])
    expect(row.finishedAt).not.toBeNull()
    await waitFor('wait step closed', async () => (await t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause' } }))?.status !== 'running')
    expect(await t.db.prisma.stepRun.count({ where: { executionId, nodeId: 'after' } })).toBe(0)
  })

  it('re-runs from the failed step without repeating settled steps', async () => {
    const key = `k${Date.now()}`
    const id = await createWorkflow(a, chain(node.manual(), node.http('first', `${api.url}/count/${key}`), node.http('flaky', `${api.url}/fail/${key}`), node.set('after', { done: true })))
    const failedId = await start(a, id, [{ customer: 'ada' }])
    const failed = await waitForStatus(t.db.prisma, failedId, ['failed'])
    expect(failed.error).toBeTruthy()
    expect(api.hits(`count/${key}`)).toBe(1)

    await fetch(`${api.url}/fix/${key}`)
    const res = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: failedId }, body: { fromFailedStep: true } })
    expect(res.status).toBe(202)
    const again = await waitForStatus(t.db.prisma, res.json.executionId, ['succeeded'])
    expect(again).toMatchObject({ retryOfId: failedId, versionId: failed.versionId })
    expect(api.hits(`count/${key}`)).toBe(1)
    const detail = await call(execution.GET, { headers: a.headers, params: { id: again.id } })
    const after = detail.json.steps.find((s: { nodeId: string }) => s.nodeId === 'after')
    expect(after.output.main[0]).toMatchObject({ done: true })

    const full = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: failedId }, body: {} })
    await waitForStatus(t.db.prisma, full.json.executionId, ['succeeded'])
    expect(api.hits(`count/${key}`)).toBe(2)
  })

  it('fails a poison job after its attempts and keeps the worker working', async () => {
    const id = await createWorkflow(a, chain(node.manual()))
    const executionId = await start(a, id)
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const poisonVersion = await t.db.prisma.workflowVersion.create({
      data: { tenantId: a.tenantId, workflowId: id, number: 99, graph: { nodes: 'not a list' } },
    })
    const poison = await t.db.prisma.execution.create({
      data: { tenantId: a.tenantId, workflowId: id, versionId: poisonVersion.id, versionNumber: 99, mode: 'manual', input: [{}] },
    })
    const { appServices } = await import('../../../lib/services/app')
    await appServices().queue.enqueue(poison.id)
    const row = await waitForStatus(t.db.prisma, poison.id, ['failed'], 30_000)
    expect(JSON.stringify(row.error)).toContain('nodes')
    expect(row.deliveries).toBe(3)

    const healthy = await start(a, id)
    await waitForStatus(t.db.prisma, healthy, ['succeeded'])
  })

  it('a job delivered for an execution canceled while queued runs nothing and writes no step rows, even when it starts before its claim commits', async () => {
    const id = await createWorkflow(a, chain(node.manual(), node.set('s', { seen: true })))
    const version = await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId: id } })
    const row = await t.db.prisma.execution.create({
      data: { tenantId: a.tenantId, workflowId: id, versionId: version.id, versionNumber: 1, mode: 'manual', status: 'canceled', input: [{}] },
    })
    const queue = createExecutionQueue({ connection: redisConnection(testRedisUrl()), prefix: t.redis.prefix })
    try {
      // The job carries its start, as startExecution sends it: the worker begins the run while its claim commits.
      await queue.enqueue(row.id, { tenantId: a.tenantId, workflowId: id, versionId: version.id, mode: 'manual', startNodeId: null, input: [{}], createdAt: row.createdAt.toISOString() })
      await waitFor('the job to be processed', async () => {
        const c = await queue.counts()
        return c.waiting === 0 && c.active === 0 && c.delayed === 0
      })
      await new Promise((r) => setTimeout(r, 300)) // writes would have been pushed by now
      expect(await t.db.prisma.stepRun.count({ where: { executionId: row.id } })).toBe(0)
      expect(await t.db.prisma.execution.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'canceled', deliveries: 0 })
    } finally {
      await queue.close()
    }
  })

  it('tests one step with the input it had in its last execution', async () => {
    const id = await createWorkflow(a, chain(node.manual(), node.set('tag', { tagged: '{{ $json.n + 1 }}' })))
    const executionId = await start(a, id, [{ n: 41 }])
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const res = await call(testStepRoute.POST, { method: 'POST', headers: a.headers, params: { id }, body: { nodeId: 'tag' } })
    expect(res.json).toMatchObject({ status: 'succeeded', output: { main: [{ n: 41, tagged: 42 }] } })
    const given = await call(testStepRoute.POST, { method: 'POST', headers: a.headers, params: { id }, body: { nodeId: 'tag', input: [{ n: 1 }] } })
    expect(given.json.output.main).toEqual([{ n: 1, tagged: 2 }])
  })
})

describe('outbound HTTP from a run', () => {
  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/'],
    ['hex loopback', 'http://0x7f000001/'],
    ['redirect to loopback', 'REDIRECT'],
  ])('refuses %s', async (_, target) => {
    const url = target === 'REDIRECT' ? `${api.url}/redirect/x?to=${encodeURIComponent('http://127.0.0.1:1/secret')}` : target
    const id = await createWorkflow(a, chain(node.manual(), node.http('call', url)))
    const executionId = await start(a, id)
    await waitForStatus(t.db.prisma, executionId, ['failed'])
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 'call' } })
    expect(step.error).toMatchObject({ code: 'SSRF_BLOCKED' })
  })
})
