// The per-run caps from lib/env reach the engine through the hosts: a worker run and "test this step" are
// stopped by AUTERITY_MAX_ITEMS_PER_STEP and AUTERITY_MAX_RUN_MS with errors naming the cap. The time cap is
// a few seconds, so a loaded machine's slow first run still meets the items cap first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, waitForStatus } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as run from '../../app/api/workflows/[id]/run/route'
import * as testStepRoute from '../../app/api/workflows/[id]/test-step/route'
import { env } from '../../lib/env'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_MAX_ITEMS_PER_STEP: '50', AUTERITY_MAX_RUN_MS: '4000' })
  a = await seedTenant(t.db.prisma)
  // As workers/worker.ts does: the caps come from lib/env.
  worker = await startTestWorker(t, { limits: env().limits })
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

async function createWorkflow(graph: unknown): Promise<string> {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Limits', graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id
}

async function runToEnd(workflowId: string) {
  const res = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: {} })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return waitForStatus(t.db.prisma, res.json.executionId, ['succeeded', 'failed', 'canceled'])
}

const hundredItems = node.code('gen', 'return Array.from({ length: 100 }, (_, n) => ({ n }))')

describe('run limits from the environment', () => {
  it('reads them into env().limits', () => {
    expect(env().limits).toEqual({ maxItemsPerStep: 50, maxRunMs: 4000, maxLoopIterations: 10_000 })
  })

  it('a worker run whose step outputs more items than AUTERITY_MAX_ITEMS_PER_STEP fails', async () => {
    const row = await runToEnd(await createWorkflow(chain(node.manual(), hundredItems, node.set('after', { x: 1 }))))
    expect(row.status).toBe('failed')
    expect(row.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', nodeId: 'gen', message: expect.stringContaining('AUTERITY_MAX_ITEMS_PER_STEP') })
    expect(await t.db.prisma.stepRun.count({ where: { executionId: row.id, nodeId: 'after' } })).toBe(0)
  })

  it('a worker run longer than AUTERITY_MAX_RUN_MS fails', async () => {
    const row = await runToEnd(await createWorkflow(chain(node.manual(), node.wait('pause', 30_000))))
    expect(row.status).toBe('failed')
    expect(row.error).toMatchObject({ code: 'RUN_LIMIT_TIME', message: expect.stringContaining('AUTERITY_MAX_RUN_MS') })
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: row.id, nodeId: 'pause' }, orderBy: { attempt: 'desc' } })
    expect(step).toMatchObject({ status: 'failed', error: { code: 'RUN_LIMIT_TIME' } })
  })

  it('"test this step" applies the items cap too', async () => {
    const id = await createWorkflow(chain(node.manual(), hundredItems))
    const res = await call(testStepRoute.POST, { method: 'POST', headers: a.headers, params: { id }, body: { nodeId: 'gen', input: [{}] } })
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'RUN_LIMIT_ITEMS' } })
  })
})
