// The hot path's group-committed statements (lib/services/hot-db.ts) against a real PostgreSQL.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTenantWithOwner } from '../../lib/db/bootstrap'
import { HotDb, hotDb, type StepRowInput } from '../../lib/services/hot-db'
import { PgItemStore } from '../../lib/services/pg-item-store'
import { LeaseKeeper } from '../../workers/runtime/lease'
import { LeaseLostError } from '../../lib/services/lease-lost'
import { createTestDatabase, type TestDatabase } from '../helpers/db'

let db: TestDatabase
let hot: HotDb
let base: { tenantId: string; workflowId: string; versionId: string; versionNumber: number }

beforeAll(async () => {
  db = await createTestDatabase()
  const { tenantId } = await createTenantWithOwner(db.prisma, { tenantName: 'Hot', email: 'hot@example.test', password: 'hot-password-1', apiKey: `ak_hot${randomUUID().replace(/-/g, '')}` })
  const wf = await db.prisma.workflow.create({ data: { tenantId, name: 'Hot' } })
  const version = await db.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [], notes: [] } } })
  base = { tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1 }
  const found = hotDb(db.prisma)
  if (!found) throw new Error('hotDb found no pool config on the Prisma client')
  hot = found
})

afterAll(async () => {
  await hot?.pool.end()
  await db?.drop()
})

const step = (executionId: string, nodeId: string): StepRowInput => ({
  id: randomUUID(), tenantId: base.tenantId, executionId, nodeId, nodeName: nodeId, nodeType: 'set', attempt: 1, iteration: null, status: 'succeeded',
  input: JSON.stringify([{ n: 1, text: 'quotes " and \\ backslashes, {braces}, unicode ✓' }]), inputCount: 1, output: '{"main":[{"n":1}]}', outputCounts: '{"main":1}', error: null,
  startedAt: new Date(Date.now() - 5), finishedAt: new Date(), durationMs: 5,
  pages: [{ nodeId, port: 'main', page: 0, count: 1, items: '[{"n":1}]' }],
  leaseToken: null,
})
const LEASE_MS = 30_000

describe('hot-path statements', () => {
  it('finds the Prisma client pool configuration (else the hot path silently falls back to Prisma)', () => {
    expect(hot).not.toBeNull()
  })

  it('inserts, claims and finishes many executions at once, each caller getting its own row', async () => {
    const rows = await Promise.all(Array.from({ length: 25 }, (_, n) => hot.insertExecution({ ...base, mode: 'webhook', input: [{ n }], startNodeId: 'hook' })))
    expect(new Set(rows.map((r) => r.id)).size).toBe(25)
    for (const [n, r] of rows.entries()) {
      expect(r).toMatchObject({ status: 'queued', mode: 'webhook', startedAt: null, finishedAt: null })
      expect(r).not.toHaveProperty('input') // the summary row leaves the (possibly large) input out
      expect(Math.abs(r.createdAt.getTime() - Date.now())).toBeLessThan(60_000) // stored and read back as UTC
    }
    const claimed = await Promise.all(rows.map((r) => hot.claimExecution(r.id, `tok-${r.id}`, LEASE_MS)))
    expect(claimed.map((c) => [c?.id, c?.status, c?.deliveries])).toEqual(rows.map((r) => [r.id, 'running', 1]))
    for (const [n, c] of claimed.entries()) expect(c).toMatchObject({ input: [{ n }], startNodeId: 'hook' })

    const finished = await Promise.all(rows.map((r, i) => hot.finishExecution(r.id, i === 0 ? 'failed' : 'succeeded', i === 0 ? { name: 'Error', message: 'boom' } : undefined, `tok-${r.id}`)))
    expect(finished[0]).toMatchObject({ status: 'failed', error: { name: 'Error', message: 'boom' } })
    expect(finished.slice(1).every((f) => f?.status === 'succeeded' && f.finishedAt instanceof Date)).toBe(true)
    // Already ended: not claimed again, not finished twice.
    expect(await hot.claimExecution(rows[1].id, 'again', LEASE_MS)).toBeNull()
    expect(await hot.finishExecution(rows[1].id, 'canceled', undefined, `tok-${rows[1].id}`)).toBeNull()
    expect(await hot.claimExecution('no-such-execution', 'none', LEASE_MS)).toBeNull()
  })

  it('commits step rows with their output pages; one bad row does not fail the rows written with it', async () => {
    const execs = await Promise.all(Array.from({ length: 10 }, () => hot.insertExecution({ ...base, mode: 'api', input: [] })))
    const results = await Promise.allSettled([
      ...execs.map((e) => hot.writeStep(step(e.id, 'set'))),
      hot.writeStep(step('no-such-execution', 'set')),
      ...execs.map((e) => hot.writeStep(step(e.id, 'code'))),
    ])
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1)
    expect(results[10].status).toBe('rejected')
    expect(await db.prisma.stepRun.count({ where: { executionId: { in: execs.map((e) => e.id) } } })).toBe(20)
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: { in: execs.map((e) => e.id) } } })).toBe(20)
    // JSON texts go through PostgreSQL array literals (unnest): quotes, backslashes and braces must survive.
    const row = await db.prisma.stepRun.findFirstOrThrow({ where: { executionId: execs[0].id, nodeId: 'set' } })
    expect(row).toMatchObject({ input: JSON.parse(step('x', 'y').input!), output: { main: [{ n: 1 }] }, outputCounts: { main: 1 }, error: null })
    expect(Math.abs(row.finishedAt!.getTime() - Date.now())).toBeLessThan(60_000) // stored and read back as UTC
  })

  it('updates a step row written as running when the step settles (same execution, node and attempt)', async () => {
    const [e] = await Promise.all([hot.insertExecution({ ...base, mode: 'api', input: [] })])
    await hot.writeStep({ ...step(e.id, 'slow'), status: 'running', output: null, pages: [] })
    await Promise.all([hot.writeStep({ ...step(e.id, 'slow'), status: 'failed', output: null, error: '{"message":"x"}', pages: [] })])
    const rows = await db.prisma.stepRun.findMany({ where: { executionId: e.id } })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'failed', error: { message: 'x' } })
  })
})

describe('fencing and unstorable characters', () => {
  it('writes step rows and the finish only while the lease token matches; a new claim fences the old one off', async () => {
    const e = await hot.insertExecution({ ...base, mode: 'api', input: [] })
    expect(await hot.claimExecution(e.id, 'first', LEASE_MS)).not.toBeNull()
    expect(await hot.writeStep({ ...step(e.id, 'a'), leaseToken: 'first' })).toBe(true)
    expect(await hot.renewLeases([{ id: e.id, token: 'first' }], LEASE_MS)).toEqual(new Set([e.id]))
    expect(await hot.claimExecution(e.id, 'second', LEASE_MS)).toMatchObject({ deliveries: 2 })
    // The first delivery, resumed: nothing of it is written any more, and it can tell.
    expect(await hot.writeStep({ ...step(e.id, 'b'), leaseToken: 'first' })).toBe(false)
    expect(await hot.renewLeases([{ id: e.id, token: 'first' }], LEASE_MS)).toEqual(new Set())
    expect(await hot.finishExecution(e.id, 'succeeded', undefined, 'first')).toBeNull()
    // Without a token (the queue gave up on the job): not while a delivery holds an unexpired lease.
    expect(await hot.finishExecution(e.id, 'failed', { name: 'Error', message: 'gave up' }, null)).toBeNull()
    expect(await hot.writeStep({ ...step(e.id, 'b'), leaseToken: 'second' })).toBe(true)
    expect(await hot.finishExecution(e.id, 'succeeded', undefined, 'second')).toMatchObject({ status: 'succeeded' })
    const steps = await db.prisma.stepRun.findMany({ where: { executionId: e.id }, orderBy: { nodeId: 'asc' } })
    expect(steps.map((s) => s.nodeId)).toEqual(['a', 'b'])
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: e.id } })).toBe(2)
  })

  it('fences the item store too: pages are neither written nor cleared once another delivery claimed the run', async () => {
    const e = await hot.insertExecution({ ...base, mode: 'api', input: [] })
    await hot.claimExecution(e.id, 'first', LEASE_MS)
    let lost = 0
    const store = new PgItemStore(db.prisma, e.id, 2, false, { token: 'first', lost: () => void lost++ })
    await store.append('big', 'main', [{ n: 1 }, { n: 2 }, { n: 3 }])
    await store.flushAll()
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: e.id } })).toBe(2)
    await hot.claimExecution(e.id, 'second', LEASE_MS)
    await expect(store.append('other', 'main', [{ n: 1 }, { n: 2 }, { n: 3 }])).rejects.toBeInstanceOf(LeaseLostError)
    await expect(store.clear('big')).rejects.toBeInstanceOf(LeaseLostError)
    expect(lost).toBe(2)
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: e.id } })).toBe(2)
    await new PgItemStore(db.prisma, e.id, 2, false, { token: 'second', lost: () => void lost++ }).clear('big')
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: e.id } })).toBe(0)
  })

  it('keeps a held lease alive, and stops the run once another delivery took it (heartbeat, or the side-effect guard)', async () => {
    const keeper = new LeaseKeeper(db.prisma, 1500)
    try {
      const [e1, e2] = await Promise.all([1, 2].map(() => hot.insertExecution({ ...base, mode: 'api', input: [] })))
      const c1 = new AbortController()
      const c2 = new AbortController()
      await hot.claimExecution(e1.id, 'a1', 1500)
      await hot.claimExecution(e2.id, 'a2', 1500)
      const l1 = keeper.hold(e1.id, 'a1', c1)
      const l2 = keeper.hold(e2.id, 'a2', c2)
      await new Promise((r) => setTimeout(r, 2000)) // past the lease: only renewals keep it
      await l1.guard()
      expect(c1.signal.aborted || c2.signal.aborted).toBe(false)
      await hot.claimExecution(e1.id, 'b1', 30_000)
      await hot.claimExecution(e2.id, 'b2', 30_000)
      await expect(l2.guard()).rejects.toBeInstanceOf(LeaseLostError)
      expect(c2.signal.reason).toBeInstanceOf(LeaseLostError)
      for (let i = 0; i < 100 && !c1.signal.aborted; i++) await new Promise((r) => setTimeout(r, 50))
      expect(c1.signal.reason).toBeInstanceOf(LeaseLostError)
    } finally {
      keeper.close()
    }
  })

  it('does not renew an expired lease', async () => {
    const e = await hot.insertExecution({ ...base, mode: 'api', input: [] })
    await hot.claimExecution(e.id, 'short', 1)
    await new Promise((r) => setTimeout(r, 20))
    expect(await hot.renewLeases([{ id: e.id, token: 'short' }], LEASE_MS)).toEqual(new Set())
    // The queue giving up may now fail it: nobody holds it.
    expect(await hot.finishExecution(e.id, 'failed', { name: 'Error', message: 'gave up' }, null)).toMatchObject({ status: 'failed' })
  })

  it('stores U+0000 in inputs, step data, pages and errors as U+FFFD instead of failing the write', async () => {
    const nul = { text: 'a\u0000b', 'key\u0000': 1, literal: 'not a NUL: \\u0000' }
    const e = await hot.insertExecution({ ...base, mode: 'webhook', input: [nul] })
    const json = JSON.stringify([nul])
    expect(await hot.writeStep({ ...step(e.id, 'nul'), input: json, output: JSON.stringify({ main: [nul] }), error: JSON.stringify({ name: 'E', message: 'x\u0000' }), pages: [{ nodeId: 'nul', port: 'main', page: 0, count: 1, items: json }] })).toBe(true)
    expect(await hot.finishExecution(e.id, 'failed', { name: 'Error', message: 'bad \u0000 byte' }, null)).toMatchObject({ error: { message: 'bad \ufffd byte' } })
    const stored = { text: 'a\ufffdb', 'key\ufffd': 1, literal: 'not a NUL: \\u0000' }
    expect((await db.prisma.execution.findUniqueOrThrow({ where: { id: e.id } })).input).toEqual([stored])
    const row = await db.prisma.stepRun.findFirstOrThrow({ where: { executionId: e.id } })
    expect(row).toMatchObject({ input: [stored], output: { main: [stored] }, error: { message: 'x\ufffd' } })
    expect((await db.prisma.stepOutputPage.findFirstOrThrow({ where: { executionId: e.id } })).items).toEqual([stored])
  })
})

describe('hot-path plans', () => {
  // Each pool connection prepares the statements once and PostgreSQL soon caches a generic plan for them. Planned
  // while "Execution" was empty (a new install, a fresh bench database), that plan is a sequential scan, and it stays
  // one until an ANALYZE invalidates it: every claim and finish then read the whole table.
  it('claims and finishes by primary key even when their plans were cached while the table was empty', async () => {
    const fresh = await createTestDatabase()
    const one = new HotDb(fresh.url, 1) // one connection: the EXPLAIN sees the statements the batcher prepared
    try {
      const { tenantId } = await createTenantWithOwner(fresh.prisma, { tenantName: 'Plans', email: 'plans@example.test', password: 'plans-password-1', apiKey: `ak_pl${randomUUID().replace(/-/g, '')}` })
      const wf = await fresh.prisma.workflow.create({ data: { tenantId, name: 'Plans' } })
      const version = await fresh.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [], notes: [] } } })
      for (let i = 0; i < 8; i++) {
        const e = await one.insertExecution({ tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, mode: 'api', input: [] })
        await one.claimExecution(e.id, 'tok', LEASE_MS)
        await one.writeStep({ ...step(e.id, 'n'), tenantId, leaseToken: 'tok' })
        await one.finishExecution(e.id, 'succeeded', undefined, 'tok')
        await one.holdsLease(e.id, 'tok')
        await one.renewLeases([{ id: e.id, token: 'tok' }], LEASE_MS)
      }
      await one.query(
        `INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "status", "createdAt")
         SELECT 'bulk' || g, $1, $2, $3, 1, 'api', 'succeeded', now() FROM generate_series(1, 20000) g`,
        [tenantId, wf.id, version.id],
      )
      const plan = async (sql: string) => JSON.stringify((await one.query(sql, [])).rows)
      const claim = await plan(`EXPLAIN (FORMAT JSON) EXECUTE "hot-claim-executions"(ARRAY['bulk1'], ARRAY['t'], ARRAY[1000])`)
      const finish = await plan(`EXPLAIN (FORMAT JSON) EXECUTE "hot-finish-executions"(ARRAY['bulk1'], ARRAY['failed'], ARRAY[NULL], ARRAY['t'])`)
      const renew = await plan(`EXPLAIN (FORMAT JSON) EXECUTE "hot-renew-leases"(ARRAY['bulk1'], ARRAY['t'], 1000)`)
      const t = `ARRAY['x']::text[]`
      const i = `ARRAY[1]::int[]`
      const steps = await plan(
        `EXPLAIN (FORMAT JSON) EXECUTE "hot-insert-steps"(${t}, ${t}, ARRAY['bulk1'], ${t}, ${t}, ${t}, ${i}, ARRAY['succeeded'], ${t}, ${i}, ${t}, ${t}, ${t}, ARRAY['2026-01-01T00:00:00Z'], ARRAY['2026-01-01T00:00:00Z'], ${i}, ${t}, ${t}, ${t}, ${i}, ${i}, ${t}, ARRAY['t'], ${i}, ARRAY[NULL]::text[])`,
      )
      const holds = await plan(`EXPLAIN (FORMAT JSON) EXECUTE "hot-holds-lease"('bulk1', 't')`)
      for (const p of [claim, finish, renew, steps, holds]) {
        expect(p).toContain('"Relation Name":"Execution"')
        expect(p).not.toContain('Seq Scan')
      }
    } finally {
      await one.pool.end()
      await fresh.drop()
    }
  })
})
