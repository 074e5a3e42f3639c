// Schedule triggers end to end on real PostgreSQL and Redis: activations from two "web processes" (the route
// handlers' app services, and a second set of clients calling the activation service), three worker runtimes
// consuming ticks, and the ScheduleTick rows that say which tick started which run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Redis } from 'ioredis'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { warmGraphs } from '../../workers/runtime/run-execution'
import { call, chain, node, waitFor, type NodeSpec } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as workflow from '../../app/api/workflows/[id]/route'
import * as activate from '../../app/api/workflows/[id]/activate/route'
import * as deactivate from '../../app/api/workflows/[id]/deactivate/route'
import * as publish from '../../app/api/workflows/[id]/publish/route'
import * as preview from '../../app/api/schedules/preview/route'
import { closeAppServices } from '../../lib/services/app'
import { activateWorkflow, type ActivationDeps } from '../../lib/services/activation'
import { createPrisma, type PrismaClient } from '../../lib/db/client'
import { createRedis } from '../../lib/redis'
import { resetEnv } from '../../lib/env'
import { createScheduleQueue, type ScheduleQueue } from '../../lib/queue/schedules'
import { redisConnection } from '../../lib/redis'
import { TickStarter } from '../../lib/services/schedule-ticks'
import { schedulerId } from '../../workers/runtime/schedules'
import { createExecutionQueue } from '../../lib/queue'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import type { TickOutcome } from '../../lib/services/schedule-ticks'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let web2: ActivationDeps & { prisma: PrismaClient; redis: Redis }
let schedulers: ScheduleQueue
let workers: RunningWorker[] = []
const outcomes: TickOutcome[] = []
const logs: string[] = []

const schedule = (params: Record<string, unknown>, id = 'tick'): NodeSpec => ({ id, type: 'schedule-trigger', name: 'Schedule', params })
const everySecond = (missed: 'skip' | 'runOnce' = 'runOnce') => schedule({ mode: 'interval', every: 1, unit: 'seconds', missed, timezone: 'UTC' })

async function startWorkers(n: number) {
  const started = await Promise.all(
    Array.from({ length: n }, () =>
      startTestWorker(t, { schedules: { syncIntervalMs: 1000, onTick: (o) => outcomes.push(...o), log: (line) => logs.push(line) } }),
    ),
  )
  workers.push(...started)
}
async function stopWorkers() {
  await Promise.all(workers.map((w) => w.close()))
  workers = []
}

async function create(graph: unknown): Promise<string> {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Scheduled', graph } })
  expect(res.status).toBe(201)
  return res.json.id
}

const ticks = (workflowId: string) => t.db.prisma.scheduleTick.findMany({ where: { workflowId }, orderBy: { tickAt: 'asc' } })
const runs = (workflowId: string) => t.db.prisma.execution.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' } })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_SCHEDULE_MIN_INTERVAL_MS: '1000' })
  a = await seedTenant(t.db.prisma)
  web2 = { prisma: createPrisma(t.db.url, { max: 3 }), redis: createRedis(testRedisUrl()) }
  schedulers = createScheduleQueue({ connection: redisConnection(testRedisUrl()), prefix: t.redis.prefix })
  await startWorkers(3)
})

afterAll(async () => {
  await stopWorkers()
  await schedulers?.close()
  await web2?.prisma.$disconnect()
  web2?.redis.disconnect()
  await closeAppServices()
  await t?.teardown()
})

describe('schedule triggers', () => {
  it('refuses a schedule that never fires or fires too often, naming the field, and previews the next five times', async () => {
    const never = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'x', graph: chain(schedule({ mode: 'cron', cron: '0 0 30 2 *' })), active: true } })
    expect(never.status).toBe(400)
    expect(never.json.error.fields).toEqual({ 'graph.nodes.0.params.cron': expect.stringMatching(/never fires/) })
    const graph = chain(node.manual('m'), schedule({ mode: 'cron', cron: '61 * * * *' }))
    const id = await create({ ...graph, edges: [] })
    const bad = await call(activate.POST, { method: 'POST', headers: a.headers, params: { id } })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.json.error.fields)).toEqual(['graph.nodes.1.params.cron'])
    // The workspace minimum (1 s in this file, for fast ticks) at its default of 10 s.
    process.env.AUTERITY_SCHEDULE_MIN_INTERVAL_MS = '10000'
    resetEnv()
    try {
      const fast = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'x', graph: chain(schedule({ mode: 'cron', cron: '*/5 * * * * *' })), active: true } })
      expect(fast.status).toBe(400)
      expect(fast.json.error.message).toMatch(/graph\.nodes\.0\.params\.cron: .*5 s apart.*at most once every 10 s/)
    } finally {
      process.env.AUTERITY_SCHEDULE_MIN_INTERVAL_MS = '1000'
      resetEnv()
    }
    const zone = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'x', graph: chain(schedule({ timezone: 'Europe/Nowhere' })), active: true } })
    expect(zone.status).toBe(400)
    // Graph validation names it too, by node id: nodes.tick.params.timezone.
    expect(Object.keys(zone.json.error.fields)).toEqual([expect.stringMatching(/^(graph\.)?nodes\.(0|tick)\.params\.timezone$/)])
    expect(await t.db.prisma.triggerRegistration.count()).toBe(0)

    const ok = await call(preview.POST, { method: 'POST', headers: a.headers, body: { params: { mode: 'cron', cron: '0 9 * * *', timezone: 'Europe/Berlin' } } })
    expect(ok.json.next).toHaveLength(5)
    expect(ok.json.timezone).toBe('Europe/Berlin')
    for (const at of ok.json.next) expect(new Date(at).toLocaleTimeString('en-GB', { timeZone: 'Europe/Berlin' })).toBe('09:00:00')
    const err = await call(preview.POST, { method: 'POST', headers: a.headers, body: { params: { mode: 'cron', cron: '0 0 30 2 *' } } })
    expect(err.json).toMatchObject({ next: [], error: { field: 'cron', message: expect.stringMatching(/never fires/) } })
  })

  it('with three workers and two web processes, each tick starts exactly one run; deactivation stops the ticks', async () => {
    const ids = await Promise.all([create(chain(everySecond(), node.set('s', { ok: true }))), create(chain(everySecond(), node.set('s', { ok: true })))])
    // Both web processes activate, at once: the route handler (process 1) and the activation service on other clients
    // (process 2), the first workflow from both.
    const [r1, r2, r3] = await Promise.all([
      call(activate.POST, { method: 'POST', headers: a.headers, params: { id: ids[0] } }),
      activateWorkflow(web2, { tenantId: a.tenantId, userId: a.userId }, ids[1]),
      activateWorkflow(web2, { tenantId: a.tenantId, userId: a.userId }, ids[0]),
    ])
    expect(r1.json).toMatchObject({ active: true, publishedVersion: 1 })
    expect(r2).toMatchObject({ active: true, publishedVersion: 1 })
    expect(r3).toMatchObject({ active: true, publishedVersion: 1 })
    expect(await t.db.prisma.triggerRegistration.count({ where: { workflowId: ids[0] } })).toBe(1)
    // Activated again from the other process: its registrations are rewritten (new ids).
    await call(activate.POST, { method: 'POST', headers: a.headers, params: { id: ids[1] } })

    await waitFor('six started ticks of each workflow', async () => (await Promise.all(ids.map(ticks))).every((rows) => rows.filter((r) => r.status === 'started').length >= 6), 30_000)
    for (const id of ids) {
      const rows = (await ticks(id)).filter((r) => r.status === 'started')
      const execs = await runs(id)
      // One run per tick, one tick per second slot.
      expect(new Set(rows.map((r) => r.tickAt.getTime())).size).toBe(rows.length)
      expect(rows.every((r) => r.tickAt.getTime() % 1000 === 0)).toBe(true)
      expect(execs.filter((e) => e.mode === 'schedule')).toHaveLength(rows.length)
      if (id === ids[0]) expect(rows.slice(1).map((r, i) => r.tickAt.getTime() - rows[i].tickAt.getTime())).toEqual(rows.slice(1).map(() => 1000))
      expect(new Set(rows.map((r) => r.executionId)).size).toBe(rows.length)
      const first = execs.find((e) => e.id === rows[0].executionId)!
      expect(first).toMatchObject({ mode: 'schedule', startNodeId: 'tick', versionNumber: 1 })
      expect((first.input as Array<Record<string, unknown>>)[0]).toMatchObject({ timestamp: rows[0].tickAt.toISOString(), timezone: 'UTC' })
    }
    await waitFor('a scheduled run to succeed', async () => (await runs(ids[0])).some((e) => e.status === 'succeeded'))
    // Both schedules fire at the same times: one job scheduler serves them.
    const regs = await t.db.prisma.triggerRegistration.findMany({ where: { workflowId: { in: ids } } })
    expect(new Set(regs.map((r) => r.key))).toEqual(new Set(['every 1000 UTC']))
    expect((await schedulers.list()).map((s) => s.id)).toEqual([schedulerId('every 1000 UTC')])

    await Promise.all([
      call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: ids[0] } }),
      call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: ids[1] } }),
    ])
    await waitFor('no schedulers left', async () => (await schedulers.list()).length === 0)
    await sleep(1500)
    const before = (await Promise.all(ids.map(ticks))).map((r) => r.length)
    await sleep(3000)
    expect((await Promise.all(ids.map(ticks))).map((r) => r.length)).toEqual(before)
  })

  it("every worker reads the scheduled versions' graphs ahead of their first tick", async () => {
    const warmed: string[] = []
    const w = await startTestWorker(t, {
      schedules: {
        syncIntervalMs: 1000,
        warm: async (ids) => {
          await warmGraphs(t.db.prisma, ids)
          warmed.push(...ids)
        },
      },
    })
    try {
      const id = await create(chain(schedule({ mode: 'cron', cron: '0 0 1 1 *', timezone: 'UTC' }), node.set('s', { ok: true })))
      await call(activate.POST, { method: 'POST', headers: a.headers, params: { id } })
      const reg = await t.db.prisma.triggerRegistration.findFirstOrThrow({ where: { workflowId: id } })
      await waitFor('the worker to read the graph ahead', async () => warmed.includes(reg.versionId))
      // In the cache now: nothing left to read.
      expect(await warmGraphs(t.db.prisma, [reg.versionId])).toBe(0)
      await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id } })
    } finally {
      await w.close()
    }
  })

  it('a tick delivered twice, or raced by two workers, starts one run; a tick of a removed registration none', async () => {
    const id = await create(chain(schedule({ mode: 'cron', cron: '0 0 1 1 *', timezone: 'UTC' }), node.set('s', { ok: true })))
    await call(activate.POST, { method: 'POST', headers: a.headers, params: { id } })
    const reg = await t.db.prisma.triggerRegistration.findFirstOrThrow({ where: { workflowId: id } })
    const queue = createExecutionQueue({ connection: redisConnection(testRedisUrl()), prefix: `${t.redis.prefix}-dup` })
    try {
      const deps = { prisma: t.db.prisma, queue, emitter: { executionUpdated() {} } as never, redis: web2.redis }
      // Two workers' starters, two deliveries each of the same tick.
      const starters = [new TickStarter(deps, { defaultTimezone: 'UTC' }), new TickStarter(deps, { defaultTimezone: 'UTC' })]
      const tick = { key: reg.key, tickAt: new Date(Math.floor(Date.now() / 1000) * 1000) }
      const results = (await Promise.all([...starters, ...starters].map((s) => s.handle(tick)))).flat()
      expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'started'])
      expect(await t.db.prisma.execution.count({ where: { workflowId: id } })).toBe(1)
      expect(await queue.state((results.find((r) => r.outcome === 'started') as { executionId: string }).executionId)).toBe('waiting')
      expect(await starters[0].handle(tick)).toEqual([{ registrationId: reg.id, outcome: 'duplicate' }])
      await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id } })
      expect(await starters[1].handle({ ...tick, tickAt: new Date(tick.tickAt.getTime() + 1000) })).toEqual([])
      expect(await t.db.prisma.scheduleTick.count({ where: { workflowId: id } })).toBe(1)
    } finally {
      await queue.close()
    }
  })

  it('publishing a new version changes the schedule', async () => {
    const id = await create(chain(everySecond(), node.set('s', { v: 1 })))
    await call(activate.POST, { method: 'POST', headers: a.headers, params: { id } })
    await waitFor('a tick of version 1', async () => (await runs(id)).some((e) => e.versionNumber === 1))
    const saved = await call(workflow.PUT, {
      method: 'PUT', headers: a.headers, params: { id },
      body: { baseVersion: 1, graph: chain(schedule({ mode: 'cron', cron: '*/3 * * * * *', missed: 'runOnce', timezone: 'UTC' }), node.set('s', { v: 2 })) },
    })
    expect(saved.status).toBe(200)
    const published = new Date()
    await call(publish.POST, { method: 'POST', headers: a.headers, params: { id }, body: {} })
    await waitFor('two ticks of version 2', async () => (await runs(id)).filter((e) => e.versionNumber === 2).length >= 2, 20_000)
    const rows = await ticks(id)
    const v2 = new Set((await runs(id)).filter((e) => e.versionNumber === 2).map((e) => e.id))
    const v2Ticks = rows.filter((r) => r.executionId && v2.has(r.executionId))
    expect(v2Ticks.every((r) => r.tickAt.getUTCSeconds() % 3 === 0 && r.tickAt.getUTCMilliseconds() === 0)).toBe(true)
    // After the publish settled, version 1 stopped ticking.
    const lateV1 = rows.filter((r) => r.executionId && !v2.has(r.executionId) && r.tickAt.getTime() > published.getTime() + 2000)
    expect(lateV1).toEqual([])
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id } })
  })

  it('after downtime, missed ticks are skipped (and recorded) or run once, as the node says', async () => {
    const skipId = await create(chain(schedule({ mode: 'interval', every: 2, unit: 'seconds', missed: 'skip', timezone: 'UTC' }), node.set('s', { ok: true })))
    const onceId = await create(chain(schedule({ mode: 'interval', every: 2, unit: 'seconds', missed: 'runOnce', timezone: 'UTC' }), node.set('s', { ok: true })))
    const cronId = await create(chain(schedule({ mode: 'cron', cron: '*/2 * * * * *', missed: 'runOnce', timezone: 'UTC' }), node.set('s', { ok: true })))
    const all = [skipId, onceId, cronId]
    await Promise.all(all.map((id) => call(activate.POST, { method: 'POST', headers: a.headers, params: { id } })))
    await waitFor('a tick of each', async () => (await Promise.all(all.map(ticks))).every((r) => r.length >= 1))

    await stopWorkers()
    await sleep(7000)
    const downUntil = Date.now()
    await startWorkers(1)
    await waitFor('ticks after the restart', async () => (await Promise.all(all.map(ticks))).every((r) => r.some((x) => x.createdAt.getTime() > downUntil + 2500)), 20_000)

    // BullMQ kept one pending tick through the downtime (the first missed one), handed over late, and created none for
    // the slots after it: the next tick is the first slot after the restart.
    const lateOne = async (id: string) => {
      const rows = await ticks(id)
      const late = rows.filter((r) => r.lateMs > 3000)
      expect(late).toHaveLength(1)
      expect(rows.filter((r) => r.tickAt > late[0].tickAt && r.tickAt.getTime() < downUntil - 1000)).toEqual([])
      return late[0]
    }
    const skipped = await lateOne(skipId)
    expect(skipped).toMatchObject({ status: 'skipped', executionId: null })
    expect(logs.some((l) => l.includes(`skipped the tick of ${skipped.tickAt.toISOString()} for registration ${skipped.registrationId}`))).toBe(true)

    const caughtUp = await lateOne(onceId)
    expect(caughtUp).toMatchObject({ status: 'started' })
    const run = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: caughtUp.executionId! } })
    const item = (run.input as Array<Record<string, unknown>>)[0]
    expect(item.timestamp).toBe(caughtUp.tickAt.toISOString())
    expect(item.missedTicks).toBeGreaterThanOrEqual(2)
    // A cron schedule the same way (BullMQ computes its next tick from "now" with the pattern).
    const cronLate = await lateOne(cronId)
    expect(cronLate).toMatchObject({ status: 'started' })
    expect(cronLate.tickAt.getTime() % 2000).toBe(0)
    // And both are back on their slots.
    for (const id of all) {
      const after = (await ticks(id)).filter((r) => r.tickAt.getTime() >= downUntil)
      expect(after.some((r) => r.status === 'started' && r.tickAt.getTime() % 2000 === 0)).toBe(true)
    }
    expect(outcomes.some((o) => o.outcome === 'skipped')).toBe(true)
  })
})
