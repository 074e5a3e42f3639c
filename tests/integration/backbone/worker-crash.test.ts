// Worker processes (spawned `tsx workers/worker.ts`) killed mid-run: the job is redelivered, settled steps are
// not run again (counted as side effects on a local HTTP server). SIGTERM drains the running job, then exits 0;
// a job still running when the drain time is up is redelivered to the next worker.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, exited, node, spawnWorker, startSideEffectServer, waitFor, waitForStatus } from './support'
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
    AUTERITY_WORKER_LOCK_MS: '4000',
    AUTERITY_WORKER_STALLED_MS: '2000',
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

const startWorker = (env: Record<string, string> = {}) => spawnWorker(children, env)

async function startRun(tenant: SeededTenant, graph: unknown) {
  const created = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Crash', graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const res = await call(run.POST, { method: 'POST', headers: tenant.headers, params: { id: created.json.id }, body: {} })
  return res.json.executionId as string
}

describe('worker crashes', () => {
  it('resumes a run after kill -9 without repeating settled steps', async () => {
    const key = `k${Date.now()}`
    const first = await startWorker()
    const executionId = await startRun(
      a,
      chain(node.manual(), node.http('before', `${api.url}/count/${key}-before`), node.wait('pause', 4000), node.http('after', `${api.url}/count/${key}-after`)),
    )
    await waitFor('the wait step to run', async () => (await t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause', status: 'running' } })) !== null)
    first.kill('SIGKILL')
    await exited(first)

    const second = await startWorker()
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded'], 45_000)
    expect(done.deliveries).toBe(2)
    expect(api.hits(`count/${key}-before`)).toBe(1)
    expect(api.hits(`count/${key}-after`)).toBe(1)
    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId }, orderBy: [{ nodeId: 'asc' }, { attempt: 'asc' }] })
    const summary = steps.map((s) => `${s.nodeId}#${s.attempt}:${s.status}`)
    expect(summary).toEqual(['after#1:succeeded', 'before#1:succeeded', 'pause#1:failed', 'pause#2:succeeded', 'trigger#1:succeeded'])
    second.kill('SIGTERM')
    expect(await exited(second)).toBe(0)
  })

  it('drains the running job on SIGTERM, then exits 0', async () => {
    const worker = await startWorker()
    const executionId = await startRun(a, chain(node.manual(), node.wait('pause', 1500), node.set('after', { ok: true })))
    await waitForStatus(t.db.prisma, executionId, ['running'])
    worker.kill('SIGTERM')
    expect(await exited(worker)).toBe(0)
    expect((await t.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } })).status).toBe('succeeded')
  })

  it('bounds the SIGTERM drain: a run still going afterwards is redelivered and finishes', async () => {
    const worker = await startWorker({ AUTERITY_WORKER_DRAIN_MS: '1000' })
    const executionId = await startRun(a, chain(node.manual(), node.wait('pause', 5000), node.set('after', { ok: true })))
    await waitFor('the wait step to run', async () => (await t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause', status: 'running' } })) !== null)
    worker.kill('SIGTERM')
    const code = await Promise.race([exited(worker), new Promise((resolve) => setTimeout(() => resolve('still draining'), 5000))])
    expect(code).toBe(0)

    const second = await startWorker()
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded'], 45_000)
    expect(done.deliveries).toBe(2)
    second.kill('SIGTERM')
    expect(await exited(second)).toBe(0)
  })
})
