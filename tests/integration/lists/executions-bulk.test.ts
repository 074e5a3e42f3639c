// The executions list's bulk actions and the detail's step order, through the routes: delete finished runs (a running
// one is refused, saying so), re-run failed ones as the single re-run does (others reported as skipped); steps listed
// in the order they ran even when several started within the same millisecond.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppServices } from '../../../lib/services/app'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as bulkDelete from '../../../app/api/executions/bulk/delete/route'
import * as bulkRetry from '../../../app/api/executions/bulk/retry/route'
import * as detail from '../../../app/api/executions/[id]/route'
import * as list from '../../../app/api/executions/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let viewer: SeededTenant
let operator: SeededTenant
let workflowId: string
let versionId: string

// Node ids in reverse order of the flow, so neither id order nor graph order happens to be run order.
const graph = chain(node.manual('z-trigger'), node.set('y-first', { a: 1 }), node.set('x-second', { b: 2 }), node.set('w-third', { c: 3 }))

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'Runs' })
  viewer = await addMember(t.db.prisma, a, 'viewer')
  operator = await addMember(t.db.prisma, a, 'operator')
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Runs', graph: { ...graph, nodes: [...graph.nodes].reverse() } } })
  workflowId = res.json.id
  versionId = (await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId } })).id
})
afterAll(async () => {
  await closeAppServices()
  await t?.teardown()
})

async function seedRun(status: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled') {
  const now = new Date()
  const row = await t.db.prisma.execution.create({
    data: {
      tenantId: a.tenantId, workflowId, versionId, versionNumber: 1, mode: 'manual', status, input: [{}],
      startedAt: status === 'queued' ? null : now, finishedAt: ['running', 'queued'].includes(status) ? null : now,
    },
  })
  return row.id
}

const remove = (ids: string[], who = a) => call(bulkDelete.POST, { method: 'POST', headers: who.headers, body: { ids } })
const retry = (body: unknown, who = a) => call(bulkRetry.POST, { method: 'POST', headers: who.headers, body })

describe('bulk delete', () => {
  it('deletes finished runs and refuses running ones, saying why', async () => {
    const done = await seedRun('succeeded')
    const failed = await seedRun('failed')
    const running = await seedRun('running')
    const queued = await seedRun('queued')
    expect((await remove([done], operator)).status).toBe(403)
    const res = await remove([done, failed, running, queued, 'missing'])
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ succeeded: 2, failed: 3 })
    const byId = new Map(res.json.results.map((r: { id: string }) => [r.id, r]))
    expect(byId.get(done)).toEqual({ id: done, ok: true })
    expect(byId.get(running)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/running.*cancel/i) } })
    expect(byId.get(queued)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(byId.get('missing')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const left = await t.db.prisma.execution.findMany({ where: { id: { in: [done, failed, running, queued] } }, select: { id: true } })
    expect(left.map((r) => r.id).sort()).toEqual([running, queued].sort())
  })

  it('names the field of a bad body', async () => {
    expect((await remove([])).json.error.fields).toHaveProperty('ids')
    expect((await remove('x' as unknown as string[])).json.error.fields).toHaveProperty('ids')
  })
})

describe('bulk re-run', () => {
  it('re-runs each failed run with its input on the version it ran, and skips the others saying why', async () => {
    const f1 = await seedRun('failed')
    const f2 = await seedRun('failed')
    const ok = await seedRun('succeeded')
    expect((await retry({ ids: [f1] }, viewer)).status).toBe(403)
    const res = await retry({ ids: [f1, f2, ok] }, operator)
    expect(res.status).toBe(202)
    expect(res.json).toMatchObject({ succeeded: 2, failed: 1 })
    const [r1, r2, r3] = res.json.results
    expect(r3).toMatchObject({ id: ok, ok: false, error: { code: 'NOT_FAILED' } })
    for (const [from, r] of [[f1, r1], [f2, r2]] as const) {
      expect(r).toMatchObject({ id: from, ok: true, executionId: expect.any(String) })
      const rerun = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: r.executionId } })
      expect(rerun).toMatchObject({ retryOfId: from, versionNumber: 1, mode: 'manual', input: [{}] })
    }
    expect((await retry({ ids: [f1], version: 'newest' })).json.error.fields).toHaveProperty('version')
  })
})

describe('step order', () => {
  it('lists steps in run order even when they started within the same millisecond', async () => {
    const id = await seedRun('succeeded')
    const at = new Date('2026-01-01T10:00:00.000Z')
    const later = new Date(at.getTime() + 5)
    const step = (nodeId: string, startedAt: Date, attempt = 1) => ({
      tenantId: a.tenantId, executionId: id, nodeId, nodeName: nodeId, nodeType: 'set', attempt, status: 'succeeded' as const, startedAt, finishedAt: startedAt, durationMs: 0,
    })
    // Written out of order: the last step first, the trigger last; three share one start time.
    await t.db.prisma.stepRun.createMany({ data: [step('w-third', later), step('x-second', at), step('y-first', at), step('z-trigger', at)] })
    const res = await call(detail.GET, { headers: viewer.headers, params: { id } })
    expect(res.status).toBe(200)
    expect(res.json.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['z-trigger', 'y-first', 'x-second', 'w-third'])
    expect(Date.parse(res.json.serverTime)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('answers the list with the server’s clock (the browser measures running durations against it)', async () => {
    const res = await call(list.GET, { headers: viewer.headers, url: '/api/executions' })
    expect(Math.abs(Date.parse(res.json.serverTime) - Date.now())).toBeLessThan(60_000)
  })
})
