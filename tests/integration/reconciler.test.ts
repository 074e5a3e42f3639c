// The reconciler's choices against real PostgreSQL and Redis: what it re-enqueues, what it leaves alone, when it
// gives up, and that one process at a time does a pass.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTenantWithOwner } from '../../lib/db/bootstrap'
import { createExecutionQueue, type ExecutionQueue } from '../../lib/queue'
import { redisConnection } from '../../lib/redis'
import { Reconciler, RECONCILER_LOCK_KEY } from '../../workers/runtime/reconciler'
import { createTestDatabase, createTestRedisPrefix, testRedisUrl, type TestDatabase, type TestRedisPrefix } from '../helpers/db'

let db: TestDatabase
let prefix: TestRedisPrefix
let queue: ExecutionQueue
let base: { tenantId: string; workflowId: string; versionId: string; versionNumber: number }
const failed: string[] = []
let reconciler: Reconciler

beforeAll(async () => {
  db = await createTestDatabase()
  prefix = createTestRedisPrefix()
  queue = createExecutionQueue({ connection: redisConnection(testRedisUrl()), prefix: prefix.prefix })
  const { tenantId } = await createTenantWithOwner(db.prisma, { tenantName: 'Rec', email: 'rec@example.test', password: 'rec-password-1', apiKey: `ak_rec${randomUUID().replace(/-/g, '')}` })
  const wf = await db.prisma.workflow.create({ data: { tenantId, name: 'Rec' } })
  const version = await db.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [], notes: [] } } })
  base = { tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1 }
  reconciler = new Reconciler(
    { prisma: db.prisma, queue, fail: async (id) => void failed.push(id) },
    { intervalMs: 60_000, queuedAfterMs: 10_000, lookbackHours: 1, maxDeliveries: 3 },
  )
})
afterAll(async () => {
  await queue?.close()
  await prefix?.cleanup()
  await db?.drop()
})

const ago = (ms: number) => new Date(Date.now() - ms)

async function execution(data: { status: 'queued' | 'running'; createdAt: Date; mode?: string; deliveries?: number; leaseExpiresAt?: Date }) {
  const row = await db.prisma.execution.create({ data: { ...base, mode: 'api', ...data } })
  return row.id
}

describe('reconciler', () => {
  it('re-enqueues lost queued and expired running runs, leaves the rest, fails runs delivered too often', async () => {
    const lostQueued = await execution({ status: 'queued', createdAt: ago(60_000) })
    const youngQueued = await execution({ status: 'queued', createdAt: ago(1_000) })
    const waitingQueued = await execution({ status: 'queued', createdAt: ago(60_000) })
    await queue.enqueue(waitingQueued)
    const expiredRunning = await execution({ status: 'running', createdAt: ago(60_000), deliveries: 1, leaseExpiresAt: ago(5_000) })
    const heldRunning = await execution({ status: 'running', createdAt: ago(60_000), deliveries: 1, leaseExpiresAt: new Date(Date.now() + 60_000) })
    const worn = await execution({ status: 'running', createdAt: ago(60_000), deliveries: 3, leaseExpiresAt: ago(5_000) })
    const sub = await execution({ status: 'running', createdAt: ago(60_000), mode: 'subworkflow' })
    const old = await execution({ status: 'queued', createdAt: ago(2 * 3600_000) })

    const report = await reconciler.runOnce()
    expect(report.ran).toBe(true)
    expect(report.requeued.sort()).toEqual([lostQueued, expiredRunning].sort())
    expect(report.failed).toEqual([worn])
    expect(failed).toEqual([worn])
    for (const id of [lostQueued, expiredRunning, waitingQueued]) expect(await queue.state(id)).toBe('waiting')
    for (const id of [youngQueued, heldRunning, sub, old]) expect(await queue.state(id)).toBe('missing')
    // A second pass finds their jobs waiting: nothing enqueued twice.
    expect((await reconciler.runOnce()).requeued).toEqual([])
  })

  it('skips its pass while another process holds the lock', async () => {
    const other = new pg.Client({ connectionString: db.url })
    await other.connect()
    try {
      await other.query('BEGIN')
      await other.query('SELECT pg_advisory_xact_lock($1::bigint)', [RECONCILER_LOCK_KEY])
      expect(await reconciler.runOnce()).toEqual({ ran: false, requeued: [], failed: [] })
      await other.query('COMMIT')
      expect((await reconciler.runOnce()).ran).toBe(true)
    } finally {
      await other.end()
    }
  })
})
