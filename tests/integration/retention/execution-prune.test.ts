// Execution retention over real PostgreSQL and a real file store: two workspaces with different settings, runs with
// steps, output pages and files; the prune takes the old and the surplus runs with everything they own, keeps
// running ones, files a kept re-run still refers to, and the other workspaces' runs; one process at a time; its
// summary lands in the audit log; the settings API validates and is for admins. And a writer inserting runs and
// steps while a large prune goes on completes its inserts before the prune ends (it is never blocked on it).
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call } from '../backbone/support'
import * as retentionRoute from '../../../app/api/workspaces/current/retention/route'
import { LocalBlobStore } from '../../../lib/files/local-store'
import { prismaFileIndex } from '../../../lib/files/pg-index'
import { FileService } from '../../../lib/files/service'
import { closeAppServices } from '../../../lib/services/app'
import { EXECUTION_PRUNE_LOCK_KEY, ExecutionPruner } from '../../../workers/runtime/execution-prune'

type Status = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'

let t: Awaited<ReturnType<typeof useTestEnv>>
let files: FileService
let filesRoot: string
const DAY = 86_400_000
const now = new Date()
const ago = (days: number) => new Date(now.getTime() - days * DAY)

beforeAll(async () => {
  t = await useTestEnv()
  filesRoot = path.join(os.tmpdir(), `auterity-retention-${randomBytes(5).toString('hex')}`)
  files = new FileService({ blobs: new LocalBlobStore(filesRoot), index: prismaFileIndex(t.db.prisma), maxFileBytes: 1 << 20 })
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
  await fs.rm(filesRoot, { recursive: true, force: true })
})

function pruner(batchSize = 2, defaultDays = 0) {
  return new ExecutionPruner(
    { prisma: t.db.prisma, databaseUrl: t.db.url, removeFiles: (tenantId, ids) => files.remove(tenantId, ids) },
    { defaultDays, batchSize, intervalMs: 0 },
  )
}

async function workflowOf(tenantId: string, name = 'wf') {
  const wf = await t.db.prisma.workflow.create({ data: { tenantId, name } })
  const v = await t.db.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [], notes: [] } } })
  return { tenantId, workflowId: wf.id, versionId: v.id, versionNumber: 1 }
}

/** A run with two steps, an output page and (optionally) a file, created `days` ago. */
async function run(wf: Awaited<ReturnType<typeof workflowOf>>, days: number, status: Status = 'succeeded', opts: { file?: boolean; retryOfId?: string } = {}) {
  const e = await t.db.prisma.execution.create({
    data: { ...wf, mode: 'api', status, createdAt: ago(days), finishedAt: status === 'running' || status === 'queued' ? null : ago(days), retryOfId: opts.retryOfId },
  })
  await t.db.prisma.stepRun.createMany({
    data: ['a', 'b'].map((nodeId) => ({ tenantId: wf.tenantId, executionId: e.id, nodeId, nodeName: nodeId, nodeType: 'noop', attempt: 1, status: 'succeeded' as const })),
  })
  await t.db.prisma.stepOutputPage.create({ data: { executionId: e.id, nodeId: 'a', port: 'main', page: 1, count: 1, items: [{ json: { n: 1 } }] } })
  const file = opts.file ? await files.write({ tenantId: wf.tenantId, executionId: e.id }, { name: 'out.txt', data: `run ${e.id}` }) : undefined
  return { id: e.id, file: file?.$file }
}

const exists = async (id: string) => (await t.db.prisma.execution.count({ where: { id } })) === 1
const blobExists = (tenantId: string, fileId: string) => fs.access(path.join(filesRoot, tenantId, fileId)).then(() => true, () => false)

async function setRetention(who: SeededTenant, body: Record<string, unknown>) {
  return call(retentionRoute.PUT, { method: 'PUT', url: '/api/workspaces/current/retention', headers: who.headers, body })
}

describe('execution retention', () => {
  let a: SeededTenant
  let b: SeededTenant
  let c: SeededTenant
  beforeAll(async () => {
    a = await seedTenant(t.db.prisma, { name: 'A' })
    b = await seedTenant(t.db.prisma, { name: 'B' })
    c = await seedTenant(t.db.prisma, { name: 'C' })
  })

  it('prunes by age in one workspace and by count in another, keeps running runs and leaves a third alone', async () => {
    expect((await setRetention(a, { executionRetentionDays: 30, executionsPerWorkflow: null })).status).toBe(200)
    expect((await setRetention(b, { executionRetentionDays: null, executionsPerWorkflow: 2 })).status).toBe(200)

    const wa = await workflowOf(a.tenantId)
    const oldA = await run(wa, 40, 'succeeded', { file: true })
    const oldFailedA = await run(wa, 35, 'failed')
    const oldRunningA = await run(wa, 50, 'running')
    const oldQueuedA = await run(wa, 45, 'queued')
    const youngA = await run(wa, 5, 'succeeded', { file: true })
    // An old run whose re-run is kept: the re-run copied its input and steps, so the file passes to the re-run.
    const original = await run(wa, 60, 'failed', { file: true })
    const rerun = await run(wa, 2, 'succeeded', { retryOfId: original.id })

    const wb1 = await workflowOf(b.tenantId, 'b1')
    const wb2 = await workflowOf(b.tenantId, 'b2')
    const b1 = [await run(wb1, 900), await run(wb1, 800, 'running'), await run(wb1, 3, 'failed', { file: true }), await run(wb1, 2), await run(wb1, 1)]
    const b2 = [await run(wb2, 400), await run(wb2, 1)]

    const wc = await workflowOf(c.tenantId)
    const oldC = await run(wc, 1000, 'succeeded', { file: true })

    const report = await pruner(2).runOnce(now)
    expect(report.ran).toBe(true)

    // A: older than 30 days and finished.
    for (const r of [oldA, oldFailedA, original]) expect(await exists(r.id)).toBe(false)
    for (const r of [oldRunningA, oldQueuedA, youngA, rerun]) expect(await exists(r.id)).toBe(true)
    // B: per workflow, beyond the newest 2 and finished (the old running one stays).
    expect(await Promise.all(b1.map((r) => exists(r.id)))).toEqual([false, true, false, true, true])
    expect(await Promise.all(b2.map((r) => exists(r.id)))).toEqual([true, true])
    // C has no setting and the server no default.
    expect(await exists(oldC.id)).toBe(true)

    // Steps and output pages of pruned runs are gone; those of kept runs are not.
    const pruned = [oldA.id, oldFailedA.id, original.id, b1[0].id, b1[2].id]
    expect(await t.db.prisma.stepRun.count({ where: { executionId: { in: pruned } } })).toBe(0)
    expect(await t.db.prisma.stepOutputPage.count({ where: { executionId: { in: pruned } } })).toBe(0)
    expect(await t.db.prisma.stepRun.count({ where: { executionId: { in: [youngA.id, oldRunningA.id, oldC.id] } } })).toBe(6)
    expect(await t.db.prisma.stepOutputPage.count({ where: { executionId: { in: [youngA.id, oldRunningA.id, oldC.id] } } })).toBe(3)

    // Files: a pruned run's go from the store and the table; the re-run now owns the original's; others stay.
    for (const [tenant, fileId] of [[a.tenantId, oldA.file!], [b.tenantId, b1[2].file!]] as const) {
      expect(await t.db.prisma.file.count({ where: { id: fileId } })).toBe(0)
      expect(await blobExists(tenant, fileId)).toBe(false)
    }
    expect((await t.db.prisma.file.findUnique({ where: { id: original.file! } }))?.executionId).toBe(rerun.id)
    expect(await blobExists(a.tenantId, original.file!)).toBe(true)
    for (const [tenant, fileId] of [[a.tenantId, youngA.file!], [c.tenantId, oldC.file!]] as const) {
      expect(await t.db.prisma.file.count({ where: { id: fileId } })).toBe(1)
      expect(await blobExists(tenant, fileId)).toBe(true)
    }

    // One audit entry per workspace with what went.
    expect(report.tenants.map((s) => s.tenantId).sort()).toEqual([a.tenantId, b.tenantId].sort())
    const entry = async (tenantId: string) => (await t.db.prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'execution.pruned' } })).data
    expect(await entry(a.tenantId)).toMatchObject({ executions: 3, byAge: 3, byCount: 0, steps: 6, outputPages: 3, files: 1, filesHandedOver: 1, executionRetentionDays: 30 })
    expect(await entry(b.tenantId)).toMatchObject({ executions: 2, byAge: 0, byCount: 2, steps: 4, files: 1, executionsPerWorkflow: 2 })
    expect(await t.db.prisma.auditLog.count({ where: { tenantId: c.tenantId, action: 'execution.pruned' } })).toBe(0)

    // A second pass finds nothing more and writes no empty summary.
    expect((await pruner(2).runOnce(now)).executions).toBe(0)
    expect(await t.db.prisma.auditLog.count({ where: { tenantId: a.tenantId, action: 'execution.pruned' } })).toBe(1)
  })

  it("the server's default applies to workspaces without a setting", async () => {
    const d = await seedTenant(t.db.prisma, { name: 'D' })
    const wd = await workflowOf(d.tenantId)
    const old = await run(wd, 20)
    const young = await run(wd, 5)
    await pruner(10, 10).runOnce(now)
    expect([await exists(old.id), await exists(young.id)]).toEqual([false, true])
  })

  it('skips its pass while another process holds the lock', async () => {
    const other = new pg.Client({ connectionString: t.db.url })
    await other.connect()
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [EXECUTION_PRUNE_LOCK_KEY])
      expect(await pruner().runOnce(now)).toEqual({ ran: false, tenants: [], executions: 0 })
      await other.query('SELECT pg_advisory_unlock($1::bigint)', [EXECUTION_PRUNE_LOCK_KEY])
      expect((await pruner().runOnce(now)).ran).toBe(true)
    } finally {
      await other.end()
    }
  })

  it('a writer inserting runs and steps meanwhile completes its inserts while a large prune is under way', async () => {
    const w = await seedTenant(t.db.prisma, { name: 'W' })
    await setRetention(w, { executionRetentionDays: 1, executionsPerWorkflow: null })
    const ww = await workflowOf(w.tenantId)
    const OLD = 30_000
    // Old finished runs with 2 steps each, inserted in SQL (generate_series) so seeding takes a second, not minutes.
    await t.db.prisma.$executeRaw`
      INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "status", "createdAt", "finishedAt")
      SELECT 'old' || g, ${ww.tenantId}, ${ww.workflowId}, ${ww.versionId}, 1, 'api', 'succeeded', ${ago(10)}::timestamp - g * interval '1 ms', ${ago(10)}
      FROM generate_series(1, ${OLD}) g`
    await t.db.prisma.$executeRaw`
      INSERT INTO "StepRun" ("id", "tenantId", "executionId", "nodeId", "nodeName", "nodeType", "attempt", "status")
      SELECT 's' || g || n, ${ww.tenantId}, 'old' || g, 'n' || n, 'n', 'noop', 1, 'succeeded' FROM generate_series(1, ${OLD}) g, generate_series(1, 2) n`

    let pruning = true
    let insertedDuringPrune = 0
    const writer = (async () => {
      while (pruning) {
        // What a worker does when a run starts and records a step: two short inserts, one with a foreign key.
        const e = await t.db.prisma.execution.create({ data: { ...ww, mode: 'api', status: 'running' } })
        await t.db.prisma.stepRun.create({ data: { tenantId: ww.tenantId, executionId: e.id, nodeId: 'a', nodeName: 'a', nodeType: 'noop', attempt: 1, status: 'running' } })
        if (pruning) insertedDuringPrune++
      }
    })()
    const report = await pruner(500).runOnce(now)
    pruning = false
    await writer
    expect(report.executions).toBe(OLD)
    // Completion, not timing: the writer's inserts finished while the prune was still running, many batches long.
    expect(insertedDuringPrune).toBeGreaterThanOrEqual(10)
    expect(await t.db.prisma.execution.count({ where: { workflowId: ww.workflowId } })).toBeGreaterThanOrEqual(insertedDuringPrune)
    expect(await t.db.prisma.stepRun.count({ where: { tenantId: ww.tenantId } })).toBe(await t.db.prisma.execution.count({ where: { workflowId: ww.workflowId } }))
  })
})

describe('retention settings API', () => {
  let a: SeededTenant
  beforeAll(async () => {
    a = await seedTenant(t.db.prisma, { name: 'S' })
  })

  it('reads back what was saved, with the server default and what applies; null clears', async () => {
    const put = await setRetention(a, { executionRetentionDays: 14, executionsPerWorkflow: 1000 })
    expect(put.json).toEqual({ executionRetentionDays: 14, executionsPerWorkflow: 1000, serverDefaultDays: null, effectiveDays: 14 })
    const got = await call(retentionRoute.GET, { url: '/api/workspaces/current/retention', headers: a.headers })
    expect(got.json).toEqual(put.json)
    const cleared = await setRetention(a, { executionRetentionDays: null, executionsPerWorkflow: null })
    expect(cleared.json).toEqual({ executionRetentionDays: null, executionsPerWorkflow: null, serverDefaultDays: null, effectiveDays: null })
    // The audit log's own setting in the same JSON is left alone.
    await t.db.prisma.tenant.update({ where: { id: a.tenantId }, data: { settings: { auditRetentionDays: 30 } } })
    await setRetention(a, { executionRetentionDays: 7, executionsPerWorkflow: null })
    expect((await t.db.prisma.tenant.findUniqueOrThrow({ where: { id: a.tenantId } })).settings).toEqual({ auditRetentionDays: 30, executionRetentionDays: 7 })
  })

  it.each([
    [{ executionRetentionDays: 0, executionsPerWorkflow: null }, 'executionRetentionDays'],
    [{ executionRetentionDays: 3651, executionsPerWorkflow: null }, 'executionRetentionDays'],
    [{ executionRetentionDays: 1.5, executionsPerWorkflow: null }, 'executionRetentionDays'],
    [{ executionRetentionDays: '30', executionsPerWorkflow: null }, 'executionRetentionDays'],
    [{ executionRetentionDays: null, executionsPerWorkflow: 0 }, 'executionsPerWorkflow'],
    [{ executionRetentionDays: null, executionsPerWorkflow: 2.5 }, 'executionsPerWorkflow'],
    [{ executionRetentionDays: null }, 'executionsPerWorkflow'],
    [{ executionRetentionDays: null, executionsPerWorkflow: null, keepForever: true }, 'keepForever'],
  ])('refuses %j naming %s', async (body, field) => {
    const { status, json } = await setRetention(a, body)
    expect(status).toBe(400)
    expect(Object.keys(json.error.fields ?? {}).join(' ') + json.error.message).toContain(field)
  })

  it('an editor can neither read nor change it', async () => {
    const editor = await addMember(t.db.prisma, a, 'editor')
    expect((await setRetention(editor, { executionRetentionDays: 3, executionsPerWorkflow: null })).status).toBe(403)
    expect((await call(retentionRoute.GET, { url: '/api/workspaces/current/retention', headers: editor.headers })).status).toBe(403)
  })
})
