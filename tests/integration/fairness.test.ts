// Sharing the workers: one workspace's backlog does not hold another's runs back (the fair queue), and concurrency
// limits per workspace and per workflow hold across two workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, waitFor } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as workflow from '../../app/api/workflows/[id]/route'
import * as deactivate from '../../app/api/workflows/[id]/deactivate/route'
import { TickStarter } from '../../lib/services/schedule-ticks'
import { appServices, closeAppServices } from '../../lib/services/app'
import { startExecution } from '../../lib/services/executions'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import { FairCounter, fairKey } from '../../lib/queue/fairness'
import { createRedis } from '../../lib/redis'
import { testRedisUrl } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_FAIR_BURST: '5' })
  a = await seedTenant(t.db.prisma)
  b = await seedTenant(t.db.prisma)
})
afterAll(async () => {
  await closeAppServices()
  await t?.teardown()
})

async function create(tenant: SeededTenant, graph: unknown, settings?: Record<string, unknown>) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Fair', graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  const id = res.json.id as string
  if (settings) {
    const saved = await call(workflow.PUT, { method: 'PUT', headers: tenant.headers, params: { id }, body: { baseVersion: 1, settings } })
    expect(saved.status, JSON.stringify(saved.json)).toBe(200)
  }
  const version = await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId: id } })
  return { id, version }
}

async function start(tenant: SeededTenant, wf: Awaited<ReturnType<typeof create>>, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    ids.push(await startExecution(appServices(), { tenantId: tenant.tenantId, workflowId: wf.id, versionId: wf.version.id, versionNumber: 1, input: [{ i }], mode: 'manual' }))
  }
  return ids
}

const finished = (ids: string[]) =>
  waitFor(`${ids.length} runs to finish`, async () => {
    const done = await t.db.prisma.execution.count({ where: { id: { in: ids }, status: 'succeeded' } })
    return done === ids.length
  }, 60_000)

/** The most of `ids` seen running at once, sampled until all finished. */
async function peakUntilFinished(ids: string[]): Promise<number> {
  let peak = 0
  const sample = setInterval(async () => {
    const running = await t.db.prisma.execution.count({ where: { id: { in: ids }, status: 'running' } })
    peak = Math.max(peak, running)
  }, 40)
  try {
    await finished(ids)
  } finally {
    clearInterval(sample)
  }
  return peak
}

describe('fair counter', () => {
  it('counts a workspace\'s line across processes, settling with Redis in batches', async () => {
    const redis = createRedis(testRedisUrl())
    const prefix = `${t.redis.prefix}-fc`
    const one = new FairCounter(() => redis, prefix)
    const two = new FairCounter(() => redis, prefix)
    try {
      // Within one process the places are exact and need no round trip.
      expect([1, 2, 3].map(() => one.take('w', 2))).toEqual([undefined, undefined, 3])
      await one.flush()
      expect(Number(await redis.get(fairKey(prefix, 'w')))).toBe(3)
      // Another process hears the count with its own first settle, then continues the line from there.
      expect(two.take('w', 2)).toBeUndefined()
      await two.flush()
      expect(two.take('w', 2)).toBe(5)
      // Runs picked up give their places back.
      one.giveBack('w')
      one.giveBack('w')
      await one.flush()
      await two.flush()
      expect(Number(await redis.get(fairKey(prefix, 'w')))).toBe(3)
      for (let i = 0; i < 3; i++) two.giveBack('w')
      await two.flush()
      expect(await redis.exists(fairKey(prefix, 'w'))).toBe(0) // an empty line leaves no key
    } finally {
      await one.close()
      await two.close()
      redis.disconnect()
    }
  })
})

describe('fair queue', () => {
  it("runs another workspace's run before the rest of one workspace's backlog", async () => {
    const heavy = await create(a, chain(node.manual(), node.set('s', { heavy: true })))
    const light = await create(b, chain(node.manual(), node.set('s', { light: true })))
    // Queued with no worker running: 60 of A's, then 1 of B's.
    const backlog = await start(a, heavy, 60)
    const [other] = await start(b, light, 1)
    const worker = await startTestWorker(t, { worker: { concurrency: 1 } })
    try {
      await finished([...backlog, other])
    } finally {
      await worker.close()
    }
    const rows = await t.db.prisma.execution.findMany({ where: { id: { in: [...backlog, other] } }, select: { id: true, startedAt: true } })
    const order = rows.sort((x, y) => x.startedAt!.getTime() - y.startedAt!.getTime()).map((r) => r.id)
    // A's first runs within the burst (5) went first, then B's waited behind at most A's next one, not 55 more.
    expect(order.indexOf(other)).toBeLessThanOrEqual(7)
    // A's own runs keep their order.
    expect(order.filter((id) => id !== other)).toEqual(backlog)
  })
})

describe('concurrency limits', () => {
  it('takes settings.maxConcurrency through the API, naming the field when it is not a count', async () => {
    const wf = await create(a, chain(node.manual(), node.set('s', { a: 1 })))
    for (const bad of [0, 1.5, 'two', 20_000]) {
      const res = await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: wf.id }, body: { baseVersion: 1, settings: { maxConcurrency: bad } } })
      expect(res.status).toBe(400)
      expect(Object.keys(res.json.error.fields ?? {}).join()).toContain('maxConcurrency')
    }
    await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: wf.id }, body: { baseVersion: 1, settings: { maxConcurrency: 4 } } })
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wf.id } })).settings).toEqual({ maxConcurrency: 4 })
    await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: wf.id }, body: { baseVersion: 1, settings: { maxConcurrency: null } } })
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wf.id } })).settings).toEqual({})
  })

  it('keeps both of two settings saved at once (each merges into what the other wrote)', async () => {
    const onError = await create(a, chain({ id: 'e', type: 'error-trigger', name: 'On error', params: {} }, node.set('s', { x: 1 })))
    for (let round = 0; round < 3; round++) {
      const wf = await create(a, chain(node.manual(), node.set('s', { x: 1 })))
      const saves = await Promise.all([
        ...Array.from({ length: 4 }, () => call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: wf.id }, body: { baseVersion: 1, settings: { maxConcurrency: 3 } } })),
        ...Array.from({ length: 4 }, () => call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: wf.id }, body: { baseVersion: 1, settings: { errorWorkflowId: onError.id } } })),
      ])
      expect(saves.map((r) => r.status)).toEqual(saves.map(() => 200))
      expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wf.id } })).settings).toEqual({ maxConcurrency: 3, errorWorkflowId: onError.id })
    }
  })

  it("holds a workflow's settings.maxConcurrency across two workers", async () => {
    const slow = await create(a, chain(node.manual(), node.wait('w', 400)), { maxConcurrency: 2 })
    const workers: RunningWorker[] = [await startTestWorker(t), await startTestWorker(t)]
    try {
      const ids = await start(a, slow, 8)
      const peak = await peakUntilFinished(ids)
      expect(peak).toBeGreaterThan(0)
      expect(peak).toBeLessThanOrEqual(2)
    } finally {
      await Promise.all(workers.map((w) => w.close()))
    }
  })

  it('counts scheduled runs against the limit too', async () => {
    const graph = chain({ id: 'tick', type: 'schedule-trigger', name: 'Schedule', params: { mode: 'cron', cron: '0 0 1 1 *', timezone: 'UTC' } }, node.wait('w', 300))
    const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Scheduled', graph, active: true } })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const id = res.json.id as string
    expect((await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, settings: { maxConcurrency: 1 } } })).status).toBe(200)
    const reg = await t.db.prisma.triggerRegistration.findFirstOrThrow({ where: { workflowId: id, kind: 'schedule' } })
    const workers: RunningWorker[] = [await startTestWorker(t), await startTestWorker(t)]
    try {
      // Four ticks of the schedule taken up at once (as after a worker was down with missed: runOnce): four runs.
      const starter = new TickStarter(appServices(), { defaultTimezone: 'UTC' })
      const now = Date.now()
      const outcomes = (await Promise.all([0, 1, 2, 3].map((i) => starter.handle({ key: reg.key, tickAt: new Date(now - 1000 * i) })))).flat()
      const ids = outcomes.map((o) => (o.outcome === 'started' ? o.executionId : `not started: ${o.outcome}`))
      expect(ids.every((x) => !x.startsWith('not'))).toBe(true)
      expect(await peakUntilFinished(ids)).toBe(1)
    } finally {
      await Promise.all(workers.map((w) => w.close()))
      await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id } })
    }
  })

  it('holds the workspace limit across workflows, and leaves other workspaces alone', async () => {
    const one = await create(a, chain(node.manual(), node.wait('w', 400)))
    const two = await create(a, chain(node.manual(), node.wait('w', 400)))
    const free = await create(b, chain(node.manual(), node.wait('w', 1500)))
    const workers = [await startTestWorker(t, { fairness: { burst: 5, workspaceConcurrency: 3 } }), await startTestWorker(t, { fairness: { burst: 5, workspaceConcurrency: 3 } })]
    try {
      const mine = [...(await start(a, one, 5)), ...(await start(a, two, 5))]
      const theirs = await start(b, free, 3)
      let peakA = 0
      let peakB = 0
      const sample = setInterval(async () => {
        peakA = Math.max(peakA, await t.db.prisma.execution.count({ where: { id: { in: mine }, status: 'running' } }))
        peakB = Math.max(peakB, await t.db.prisma.execution.count({ where: { id: { in: theirs }, status: 'running' } }))
      }, 50)
      await finished([...mine, ...theirs])
      clearInterval(sample)
      expect(peakA).toBeLessThanOrEqual(3)
      expect(peakA).toBeGreaterThan(0)
      expect(peakB).toBe(3) // B has its own 3, whatever A uses
    } finally {
      await Promise.all(workers.map((w) => w.close()))
    }
  })
})
