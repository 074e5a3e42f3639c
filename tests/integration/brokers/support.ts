// Broker trigger tests: an active workflow whose trigger is a broker node (created through the API, as a user would),
// worker runtimes with short broker leases, credentials handed to the runtime's getCredential, and the runs counted.
import pg from 'pg'
import { afterAll, beforeAll, expect } from 'vitest'
import { createPrisma } from '../../../lib/db/client'
import type { CredentialData } from '../../../lib/engine/types'
import { closeAppServices } from '../../../lib/services/app'
import type { PrismaClient } from '../../../lib/db/generated/client'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import type { RunningWorker, WorkerRuntimeOptions } from '../../../workers/runtime/worker-runtime'
import type { ConsumerStatus } from '../../../workers/runtime/broker-consumers'
import * as workflows from '../../../app/api/workflows/route'
import { call, chain, node, waitFor } from '../backbone/support'

export const LEASE_MS = 1500

export function useBrokerEnv(credentials: () => Record<string, Omit<CredentialData, 'id'>>, allowList: () => string[]) {
  const ctx = { workers: [] as RunningWorker[] } as {
    t: Awaited<ReturnType<typeof useTestEnv>>
    a: SeededTenant
    workers: RunningWorker[]
    startWorker(extra?: Partial<WorkerRuntimeOptions>): Promise<RunningWorker>
    activate(trigger: { type: string; params: Record<string, unknown> }): Promise<string>
    runs(workflowId: string): Promise<{ id: string; mode: string; startNodeId: string | null; input: unknown }[]>
  }
  beforeAll(async () => {
    ctx.t = await useTestEnv()
    ctx.a = await seedTenant(ctx.t.db.prisma)
  })
  afterAll(async () => {
    for (const w of ctx.workers) await w.close().catch(() => undefined)
    await closeAppServices()
    await ctx.t?.teardown()
  })
  ctx.startWorker = async (extra = {}) => {
    const worker = await startTestWorker(ctx.t, {
      http: { allowList: allowList() },
      getCredential: async (_tenantId, id) => {
        const c = credentials()[id]
        if (!c) throw new Error(`no credential ${id}`)
        return { id, ...c }
      },
      brokers: { leaseMs: LEASE_MS, reloadMs: 1000, backoff: { initialMs: 200, maxMs: 1000 }, retryDelayMs: 50 },
      ...extra,
    })
    ctx.workers.push(worker)
    return worker
  }
  ctx.activate = async (trigger) => {
    const graph = chain({ id: 'trigger', name: 'Trigger', ...trigger }, node.set('s', { seen: true }))
    const res = await call(workflows.POST, { method: 'POST', headers: ctx.a.headers, body: { name: `Broker ${trigger.type}`, graph, active: true } })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    return res.json.id as string
  }
  ctx.runs = (workflowId) =>
    ctx.t.db.prisma.execution.findMany({ where: { workflowId }, select: { id: true, mode: true, startNodeId: true, input: true }, orderBy: { createdAt: 'asc' } })
  return ctx
}

/** The `content` each run started with. */
export const contents = (runs: { input: unknown }[]) => runs.map((r) => (r.input as { content: unknown }[])[0].content)

/** Waits for `n` runs, then a little longer to see that no more come. */
export async function expectRuns(ctx: ReturnType<typeof useBrokerEnv>, workflowId: string, n: number, settleMs = 1000) {
  await waitFor(`${n} runs`, async () => (await ctx.runs(workflowId)).length >= n, 30_000)
  await new Promise((r) => setTimeout(r, settleMs))
  const runs = await ctx.runs(workflowId)
  expect(runs).toHaveLength(n)
  return runs
}

/** Which workers consume the registration: exactly one is expected. */
export function holders(workers: RunningWorker[], workflowId: string) {
  return workers.filter((w) => w.brokers?.statuses().some((s) => s.workflowId === workflowId))
}

export async function waitForStatus(workers: RunningWorker[], workflowId: string, test: (s: ConsumerStatus) => boolean, what: string) {
  return waitFor(what, async () => workers.flatMap((w) => w.brokers?.statuses() ?? []).find((s) => s.workflowId === workflowId && test(s)), 30_000)
}

export async function runsSucceeded(prisma: PrismaClient, ids: string[]) {
  await waitFor('runs to finish', async () => (await prisma.execution.count({ where: { id: { in: ids }, status: 'succeeded' } })) === ids.length, 30_000)
}

/**
 * Ack after record: the worker holding the consumer takes a message and dies before its run is recorded (its insert
 * waits on a table lock; the worker is closed, then the waiting statement killed, as a dead worker's would be). The
 * message must come back to the other worker and run exactly once. Returns that run's input item.
 */
export async function expectHandover(ctx: ReturnType<typeof useBrokerEnv>, trigger: { type: string; params: Record<string, unknown> }, send: () => Promise<unknown>) {
  for (const w of ctx.workers.splice(0)) await w.close()
  const workflowId = await ctx.activate(trigger)
  // The first worker's own pool: killing its blocked statement must not disturb the others.
  const ownPrisma = createPrisma(ctx.t.db.url, { max: 8 })
  const first = await ctx.startWorker({ prisma: ownPrisma })
  await waitForStatus([first], workflowId, (s) => s.state === 'consuming', 'the first consumer')
  const second = await ctx.startWorker()
  const locker = new pg.Client({ connectionString: ctx.t.db.url })
  const watcher = new pg.Client({ connectionString: ctx.t.db.url })
  await locker.connect()
  await watcher.connect()
  const blocked = `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`
  try {
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE "Execution" IN EXCLUSIVE MODE')
    await send()
    // Not asked on the locker: inside its transaction pg_stat_activity is one snapshot.
    await waitFor('the first worker to wait on the lock', async () => (await watcher.query(blocked)).rows.length > 0)
    expect(holders([first, second], workflowId)[0] === first).toBe(true)
    ctx.workers.splice(ctx.workers.indexOf(first), 1)
    await first.close()
    await watcher.query(`SELECT pg_terminate_backend(pid) FROM (${blocked}) AS b`)
    await locker.query('COMMIT')
  } finally {
    await locker.end()
    await watcher.end()
    await ownPrisma.$disconnect().catch(() => undefined)
  }
  const runs = await expectRuns(ctx, workflowId, 1, 1500)
  expect(holders(ctx.workers, workflowId)[0] === second).toBe(true)
  return (runs[0].input as Record<string, unknown>[])[0]
}

/** A registration whose version is gone (every start fails: the Execution row cannot reference it), beside `workflowId`. */
export async function ghostRegistration(ctx: ReturnType<typeof useBrokerEnv>, workflowId: string, nodeType: string, config: Record<string, unknown>) {
  await ctx.t.db.prisma.triggerRegistration.create({
    data: { tenantId: ctx.a.tenantId, workflowId, nodeId: 'ghost', kind: 'broker', nodeType, key: 'ghost', config: config as object, versionId: 'version-gone', versionNumber: 99 },
  })
  return () => ctx.t.db.prisma.triggerRegistration.deleteMany({ where: { workflowId, nodeId: 'ghost' } })
}
