// The hot path's group-committed statements (lib/services/hot-db.ts) against a real PostgreSQL.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTenantWithOwner } from '../../lib/db/bootstrap'
import { hotDb, type HotDb, type StepRowInput } from '../../lib/services/hot-db'
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
  id: randomUUID(), tenantId: base.tenantId, executionId, nodeId, nodeName: nodeId, nodeType: 'set', attempt: 1, status: 'succeeded',
  input: JSON.stringify([{ n: 1, text: 'quotes " and \\ backslashes, {braces}, unicode ✓' }]), inputCount: 1, output: '{"main":[{"n":1}]}', outputCounts: '{"main":1}', error: null,
  startedAt: new Date(Date.now() - 5), finishedAt: new Date(), durationMs: 5,
  pages: [{ nodeId, port: 'main', page: 0, count: 1, items: '[{"n":1}]' }],
})

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
    const claimed = await Promise.all(rows.map((r) => hot.claimExecution(r.id)))
    expect(claimed.map((c) => [c?.id, c?.status, c?.deliveries])).toEqual(rows.map((r) => [r.id, 'running', 1]))
    for (const [n, c] of claimed.entries()) expect(c).toMatchObject({ input: [{ n }], startNodeId: 'hook' })

    const finished = await Promise.all(rows.map((r, i) => hot.finishExecution(r.id, i === 0 ? 'failed' : 'succeeded', i === 0 ? { name: 'Error', message: 'boom' } : undefined)))
    expect(finished[0]).toMatchObject({ status: 'failed', error: { name: 'Error', message: 'boom' } })
    expect(finished.slice(1).every((f) => f?.status === 'succeeded' && f.finishedAt instanceof Date)).toBe(true)
    // Already ended: not claimed again, not finished twice.
    expect(await hot.claimExecution(rows[1].id)).toBeNull()
    expect(await hot.finishExecution(rows[1].id, 'canceled', undefined)).toBeNull()
    expect(await hot.claimExecution('no-such-execution')).toBeNull()
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
