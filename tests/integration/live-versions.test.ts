// Live versions with a real worker: production webhooks run only an active workflow's published version, drafts
// never move production, activation refuses conflicts with the reason, the test URL runs the draft once, and
// re-runs choose between the version they ran and the current one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, waitForStatus } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as workflow from '../../app/api/workflows/[id]/route'
import * as publish from '../../app/api/workflows/[id]/publish/route'
import * as activate from '../../app/api/workflows/[id]/activate/route'
import * as deactivate from '../../app/api/workflows/[id]/deactivate/route'
import * as webhookTest from '../../app/api/workflows/[id]/webhook-test/route'
import * as webhook from '../../app/api/webhooks/[...path]/route'
import * as testHook from '../../app/api/webhooks-test/[...path]/route'
import * as retry from '../../app/api/executions/[id]/retry/route'
import * as run from '../../app/api/workflows/[id]/run/route'
import { appServices, closeAppServices } from '../../lib/services/app'
import { publishTriggersChanged } from '../../lib/services/trigger-kinds'
import { waitFor } from './backbone/support'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
let worker: RunningWorker

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  b = await seedTenant(t.db.prisma)
  worker = await startTestWorker(t)
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

const greet = (path: string, word: string) => chain(node.webhook(path, 'lastNode'), node.set('s', { word }))

async function create(tenant: SeededTenant, graph: unknown, active = false) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Live', graph, active } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json as { id: string; version: number; active: boolean; publishedVersion: number | null }
}

async function save(tenant: SeededTenant, id: string, baseVersion: number, graph: unknown) {
  const res = await call(workflow.PUT, { method: 'PUT', headers: tenant.headers, params: { id }, body: { baseVersion, graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
  return res.json.version as number
}

const post = (tenant: SeededTenant, handler: typeof publish.POST, id: string, body: unknown = {}) =>
  call(handler, { method: 'POST', headers: tenant.headers, params: { id }, body })

function hook(path: string, opts: { test?: boolean; method?: string } = {}) {
  const method = opts.method ?? 'POST'
  const handler = opts.test ? testHook : webhook
  const base = opts.test ? 'webhooks-test' : 'webhooks'
  return call(handler[method as 'POST'], { method, url: `/api/${base}/${path}`, params: { path: path.split('/') }, body: method === 'GET' ? undefined : {} })
}

describe('live versions', () => {
  it('answers production webhooks only while active, always with the published version', async () => {
    const wf = await create(a, greet('live/greet', 'one'))
    expect(wf).toMatchObject({ active: false, publishedVersion: null })
    // Never published: nothing answers, and the reason says so.
    const before = await hook('live/greet')
    expect(before.status).toBe(404)
    expect(before.json.error.message).toContain('no active workflow')

    expect((await post(a, activate.POST, wf.id)).json).toMatchObject({ active: true, publishedVersion: 1, currentVersion: 1 })
    expect((await hook('live/greet')).json).toMatchObject({ word: 'one' })

    // A saved draft does not change what answers.
    const v2 = await save(a, wf.id, 1, greet('live/greet', 'two'))
    expect(v2).toBe(2)
    expect((await hook('live/greet')).json).toMatchObject({ word: 'one' })
    const detail = (await call(workflow.GET, { headers: a.headers, params: { id: wf.id } })).json
    expect(detail).toMatchObject({ active: true, publishedVersion: 1, currentVersion: 2 })

    // Publishing the draft does.
    expect((await post(a, publish.POST, wf.id)).json).toMatchObject({ active: true, publishedVersion: 2 })
    expect((await hook('live/greet')).json).toMatchObject({ word: 'two' })
    // And publishing an older version rolls production back.
    expect((await post(a, publish.POST, wf.id, { version: 1 })).json).toMatchObject({ publishedVersion: 1 })
    expect((await hook('live/greet')).json).toMatchObject({ word: 'one' })

    // Deactivated: gone, the published version kept for the next activation.
    expect((await post(a, deactivate.POST, wf.id)).json).toMatchObject({ active: false, publishedVersion: 1 })
    expect((await hook('live/greet')).status).toBe(404)
    expect((await post(a, activate.POST, wf.id)).json).toMatchObject({ active: true, publishedVersion: 1 })
    expect((await hook('live/greet')).json).toMatchObject({ word: 'one' })
    const runs = await t.db.prisma.execution.findMany({ where: { workflowId: wf.id }, select: { versionNumber: true, mode: true } })
    expect(runs.map((r) => r.versionNumber).sort()).toEqual([1, 1, 1, 1, 2])
    expect(new Set(runs.map((r) => r.mode))).toEqual(new Set(['webhook']))
  })

  it("clears every web process's path cache when any process changes what is live", async () => {
    const wf = await create(a, greet('live/elsewhere', 'there'))
    expect((await hook('live/elsewhere')).status).toBe(404) // now cached as "nobody" for a while
    // Another process activates it: its rows change and it announces the change; this process's cache is not
    // cleared in-process (what invalidateWebhookCache does for local activations).
    const version = await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId: wf.id } })
    await t.db.prisma.workflow.update({ where: { id: wf.id }, data: { active: true, publishedVersion: version.number } })
    await t.db.prisma.webhookTrigger.create({ data: { tenantId: a.tenantId, workflowId: wf.id, nodeId: 'hook', path: 'live/elsewhere', method: 'POST', responseMode: 'lastNode' } })
    expect((await hook('live/elsewhere')).status).toBe(404)
    await publishTriggersChanged(appServices().redis, { tenantId: a.tenantId, workflowId: wf.id, active: true })
    // Well within the cache's 2 s lifetime: only the message can have cleared it.
    await waitFor('the change to reach the cache', async () => (await hook('live/elsewhere')).status === 200, 400)
  })

  it('refuses an activation whose webhook path another active workflow uses, naming it, and changes nothing', async () => {
    const owner = await create(a, greet('live/taken', 'owner'), true)
    const other = await create(a, greet('live/taken', 'other'))
    const refused = await post(a, activate.POST, other.id)
    expect(refused.status).toBe(409)
    expect(refused.json.error.message).toContain('live/taken')
    expect((await call(workflow.GET, { headers: a.headers, params: { id: other.id } })).json).toMatchObject({ active: false, publishedVersion: null })
    expect((await hook('live/taken')).json).toMatchObject({ word: 'owner' })
    // Another tenant cannot take it either; once the owner lets it go, it can.
    const foreign = await create(b, greet('live/taken', 'foreign'))
    expect((await post(b, activate.POST, foreign.id)).status).toBe(409)
    await post(a, deactivate.POST, owner.id)
    expect((await post(b, activate.POST, foreign.id)).status).toBe(200)
    expect((await hook('live/taken')).json).toMatchObject({ word: 'foreign' })
    // Creating with active: true is refused as a whole: no half-created workflow.
    const count = await t.db.prisma.workflow.count({ where: { tenantId: a.tenantId } })
    const clash = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Clash', graph: greet('live/taken', 'x'), active: true } })
    expect(clash.status).toBe(409)
    expect(await t.db.prisma.workflow.count({ where: { tenantId: a.tenantId } })).toBe(count)
  })

  it('refuses to activate what cannot run or has nothing to listen with, naming the reason', async () => {
    const manual = await create(a, chain(node.manual(), node.set('s', { a: 1 })))
    const nothing = await post(a, activate.POST, manual.id)
    expect(nothing.status).toBe(400)
    expect(nothing.json.error.code).toBe('NOTHING_TO_ACTIVATE')
    const broken = await create(a, chain(node.webhook('live/broken'), { id: 'x', type: 'no-such-node', name: 'Gone', params: {} }))
    const invalid = await post(a, activate.POST, broken.id)
    expect(invalid.status).toBe(400)
    expect(invalid.json.error.fields).toBeTruthy()
    expect((await post(a, publish.POST, broken.id, { version: 9 })).status).toBe(404)
    expect((await hook('live/broken')).status).toBe(404)
  })

  it('runs the draft once on the test URL while the designer listens, active or not', async () => {
    const wf = await create(a, greet('live/try', 'published'), true)
    await save(a, wf.id, 1, greet('live/try', 'draft'))
    const idle = await hook('live/try', { test: true })
    expect(idle.status).toBe(404)
    expect(idle.json.error.message).toContain('Listen for test event')

    const listen = await call(webhookTest.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { nodeId: 'hook' } })
    expect(listen.status, JSON.stringify(listen.json)).toBe(200)
    expect(listen.json).toMatchObject({ path: 'live/try', method: 'POST' })
    // A wrong method does not use the listening up.
    expect((await hook('live/try', { test: true, method: 'GET' })).status).toBe(405)
    const answered = await hook('live/try', { test: true })
    expect(answered.json).toMatchObject({ word: 'draft' })
    expect((await hook('live/try', { test: true })).status).toBe(404) // once
    expect((await hook('live/try')).json).toMatchObject({ word: 'published' }) // production unchanged
    const tests = await t.db.prisma.execution.findMany({ where: { workflowId: wf.id, mode: 'webhook-test' } })
    expect(tests).toHaveLength(1)
    expect(tests[0].versionNumber).toBe(2)

    // Another workflow cannot listen on the same test path meanwhile; stopping frees it.
    await call(webhookTest.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { nodeId: 'hook' } })
    const other = await create(b, greet('live/try', 'b'))
    const busy = await call(webhookTest.POST, { method: 'POST', headers: b.headers, params: { id: other.id }, body: { nodeId: 'hook' } })
    expect(busy.status).toBe(409)
    await call(webhookTest.DELETE, { method: 'DELETE', url: `/api/workflows/${wf.id}/webhook-test?nodeId=hook`, headers: a.headers, params: { id: wf.id } })
    expect((await call(webhookTest.POST, { method: 'POST', headers: b.headers, params: { id: other.id }, body: { nodeId: 'hook' } })).status).toBe(200)
    expect((await hook('live/try', { test: true })).json).toMatchObject({ word: 'b' })

    const notHook = await call(webhookTest.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { nodeId: 's' } })
    expect(notHook.status).toBe(400)
    expect(notHook.json.error.fields).toHaveProperty('nodeId')
  })

  it('re-runs a failed execution with the version it ran or with the current one, in full or from the failed step', async () => {
    const broken = chain(node.manual(), node.set('first', { n: 1 }), node.code('check', 'throw new Error("bug in v1")'))
    const fixed = chain(node.manual(), node.set('first', { n: 1 }), node.code('check', 'return items.map(i => ({ ...i, fixed: true }))'))
    const wf = await create(a, broken)
    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { input: [{ x: 1 }] } })
    const failedId = started.json.executionId as string
    await waitForStatus(t.db.prisma, failedId, ['failed'])
    await save(a, wf.id, 1, fixed)

    const again = async (body: Record<string, unknown>) => {
      const res = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: failedId }, body })
      expect(res.status, JSON.stringify(res.json)).toBe(202)
      const row = await waitForStatus(t.db.prisma, res.json.executionId, ['succeeded', 'failed'])
      return { ...res.json, row } as { executionId: string; versionNumber: number; row: { status: string; versionNumber: number } }
    }
    const original = await again({ fromFailedStep: false })
    expect(original).toMatchObject({ versionNumber: 1, row: { status: 'failed', versionNumber: 1 } })
    const current = await again({ fromFailedStep: false, version: 'current' })
    expect(current).toMatchObject({ versionNumber: 2, row: { status: 'succeeded', versionNumber: 2 } })
    const fromStep = await again({ fromFailedStep: true, version: 'current' })
    expect(fromStep).toMatchObject({ versionNumber: 2, row: { status: 'succeeded' } })
    // The settled steps were reused (copied with their old start time), the fixed one ran again.
    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId: fromStep.executionId }, orderBy: { nodeId: 'asc' } })
    const firstOld = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: failedId, nodeId: 'first' } })
    expect(steps.find((s) => s.nodeId === 'first')?.startedAt.getTime()).toBe(firstOld.startedAt.getTime())
    expect((steps.find((s) => s.nodeId === 'check')?.output as { main: unknown[] }).main[0]).toMatchObject({ n: 1, fixed: true, x: 1 })
    const bad = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: failedId }, body: { version: 'newest' } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.fields).toHaveProperty('version')
  })
})
