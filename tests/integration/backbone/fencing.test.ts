// Real worker processes and a local API counting requests: a worker paused (SIGSTOP) past its job lock and resumed
// after another worker took the run over is fenced off (no second POST, no rows of its own); an HTTP answer holding a
// NUL character is recorded, not retried; the idempotency key header is the same when a step is delivered again.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, exited, node, spawnWorker, startSideEffectServer, waitFor, waitForStatus, type NodeSpec } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import { closeAppServices } from '../../../lib/services/app'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let api: Awaited<ReturnType<typeof startSideEffectServer>>
const children: ChildProcess[] = []

beforeAll(async () => {
  api = await startSideEffectServer()
  t = await useTestEnv({
    AUTERITY_WORKER_LOCK_MS: '2000',
    AUTERITY_WORKER_STALLED_MS: '1000',
    AUTERITY_WORKER_LEASE_MS: '3000',
    AUTERITY_HTTP_ALLOWLIST: `127.0.0.1:${api.port}`,
  })
  a = await seedTenant(t.db.prisma)
})
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await api?.close()
  await closeAppServices()
  await t?.teardown()
})

const alive = () => children.filter((c) => c.exitCode === null && c.signalCode === null)

const post = (id: string, url: string, params: Record<string, unknown> = {}): NodeSpec => ({
  id,
  type: 'http-request',
  name: `POST ${id}`,
  params: { method: 'POST', url, bodyType: 'json', jsonBody: { hello: 'world' }, ...params },
})

async function startRun(graph: unknown) {
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Fencing', graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const res = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: {} })
  return res.json.executionId as string
}

async function stepSummary(executionId: string) {
  const steps = await t.db.prisma.stepRun.findMany({ where: { executionId }, orderBy: [{ nodeId: 'asc' }, { attempt: 'asc' }] })
  return steps.map((s) => `${s.nodeId}#${s.attempt}:${s.status}`)
}

describe('fencing', () => {
  it('a worker paused past twice its lock and resumed after another took the run over sends nothing and records nothing', async () => {
    const key = `stop${Date.now()}`
    const first = await spawnWorker(children)
    const executionId = await startRun(chain(node.manual(), node.wait('pause', 3000), post('post', `${api.url}/count/${key}`)))
    await waitFor('the wait step to run', async () => (await t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause', status: 'running' } })) !== null)
    first.kill('SIGSTOP')
    try {
      await spawnWorker(children)
      // The second worker's stalled-job check hands it the job once the paused worker's lock expired; it resumes the
      // run and is in its own Wait (the paused worker's is long over by then).
      await waitFor('another delivery to run the wait again', async () => (await t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause', attempt: 2 } })) !== null, 30_000)
    } finally {
      first.kill('SIGCONT')
    }
    // The paused worker's Wait is long over: unfenced, it would POST at once, before the new delivery's Wait ends.
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'], 30_000)
    expect(done.status).toBe('succeeded')
    // Longer than the Wait: whichever delivery finished the row, a request from the other one would have arrived by now.
    await new Promise((r) => setTimeout(r, 4000))
    expect(api.hits(`count/${key}`)).toBe(1)
    expect(done.deliveries).toBe(2)
    expect(await stepSummary(executionId)).toEqual(['pause#1:failed', 'pause#2:succeeded', 'post#1:succeeded', 'trigger#1:succeeded'])
    expect(first.exitCode).toBeNull() // the resumed worker stopped that run, not itself
  })

  it('records an HTTP answer holding a NUL character (stored as U+FFFD), sending the request once', async () => {
    const key = `nul${Date.now()}`
    if (alive().length === 0) await spawnWorker(children)
    const executionId = await startRun(chain(node.manual(), post('post', `${api.url}/nul/${key}`)))
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'], 30_000)
    expect(done.status).toBe('succeeded')
    expect(api.hits(`nul/${key}`)).toBe(1)
    const row = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 'post' } })
    expect(row.status).toBe('succeeded')
    expect((row.output as { main: { body: { text: string } }[] }).main[0].body.text).toBe('before\ufffdafter')
  })

  it('sends the step idempotency key in the named header, the same on a redelivery of the step', async () => {
    const key = `idem${Date.now()}`
    if (alive().length === 0) await spawnWorker(children)
    const executionId = await startRun(chain(node.manual(), post('post', `${api.url}/slow/${key}?ms=3000`, { idempotencyKeyHeader: 'Idempotency-Key' })))
    await waitFor('the first request', async () => api.hits(`slow/${key}`) >= 1, 30_000)
    for (const c of alive()) {
      c.kill('SIGKILL')
      await exited(c)
    }
    await spawnWorker(children)
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'], 45_000)
    expect(done.status).toBe('succeeded')
    const sent = api.headers(`slow/${key}`).map((h) => h['idempotency-key'])
    expect(sent).toEqual([`${executionId}:post:0`, `${executionId}:post:0`])
  })
})
