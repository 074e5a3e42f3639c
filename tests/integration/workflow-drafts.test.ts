// Drafts with a real worker: the designer's autosave keeps the graph without minting versions, saving a version clears
// it, and a Run from the designer runs the graph on screen (a draft run) without a version; its re-run runs the same
// graph even after the draft moved on. Production still runs only the published version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, waitForStatus } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as workflow from '../../app/api/workflows/[id]/route'
import * as draft from '../../app/api/workflows/[id]/draft/route'
import * as draftRun from '../../app/api/workflows/[id]/draft/run/route'
import * as retry from '../../app/api/executions/[id]/retry/route'
import * as activate from '../../app/api/workflows/[id]/activate/route'
import * as webhook from '../../app/api/webhooks/[...path]/route'
import * as testHook from '../../app/api/webhooks-test/[...path]/route'
import * as webhookTest from '../../app/api/workflows/[id]/webhook-test/route'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  worker = await startTestWorker(t)
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

const says = (word: string) => chain(node.manual(), node.set('s', { word }))

async function create(graph: unknown, active = false) {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Drafts', graph, active } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json as { id: string }
}

const putDraft = (id: string, body: unknown, tenant = a) => call(draft.PUT, { method: 'PUT', headers: tenant.headers, params: { id }, body })
const get = async (id: string) => (await call(workflow.GET, { headers: a.headers, params: { id } })).json
const versions = (workflowId: string) => t.db.prisma.workflowVersion.count({ where: { workflowId } })

async function runDraft(id: string, graph: unknown) {
  const res = await call(draftRun.POST, { method: 'POST', headers: a.headers, params: { id }, body: { graph, input: [{ x: 1 }] } })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json as { executionId: string; versionNumber: number }
}

async function wordOf(executionId: string) {
  await waitForStatus(t.db.prisma, executionId, ['succeeded'])
  const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 's' } })
  return ((step.output as { main: Array<{ word: string }> }).main[0]).word
}

describe('workflow drafts', () => {
  it('keeps autosaved drafts without versions, shows them on open and clears them on save', async () => {
    const wf = await create(says('one'))
    const saved = await putDraft(wf.id, { baseVersion: 1, graph: says('two') })
    expect(saved.status, JSON.stringify(saved.json)).toBe(200)
    expect(saved.json).toMatchObject({ baseVersion: 1, problems: [] })
    expect(await versions(wf.id)).toBe(1)

    const open = await get(wf.id)
    expect(open.currentVersion).toBe(1)
    expect(open.draft).toMatchObject({ baseVersion: 1, graph: { nodes: [{}, { params: { fields: [{ value: 'two' }] } }] } })

    // Saving a version takes the draft's place.
    const put = await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: wf.id }, body: { baseVersion: 1, graph: says('two') } })
    expect(put.json.version).toBe(2)
    expect((await get(wf.id)).draft).toBeNull()

    // A draft edited from version 1 after version 2 exists would undo it: refused.
    const stale = await putDraft(wf.id, { baseVersion: 1, graph: says('old') })
    expect(stale.status).toBe(409)
    expect(stale.json.error.details).toMatchObject({ currentVersion: 2 })

    await putDraft(wf.id, { baseVersion: 2, graph: says('three') })
    const del = await call(draft.DELETE, { method: 'DELETE', headers: a.headers, params: { id: wf.id } })
    expect(del.status).toBe(204)
    expect((await get(wf.id)).draft).toBeNull()
  })

  it('refuses what is not a graph with the field named, and other workspaces', async () => {
    const wf = await create(says('one'))
    const bad = await putDraft(wf.id, { baseVersion: 1, graph: { nodes: [{ id: 'x' }], edges: [] } })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.json.error.fields ?? {}).join(' ')).toMatch(/nodes/)
    const noBase = await putDraft(wf.id, { graph: says('two') })
    expect(noBase.status).toBe(400)
    expect(noBase.json.error.fields).toHaveProperty('baseVersion')
    // Problems (an unconnected node) are kept and reported, as a save does.
    const lonely = { ...says('two'), nodes: [...says('two').nodes, { id: 'z', type: 'set', name: 'Lonely', position: { x: 0, y: 300 }, params: { fields: [] } }] }
    const kept = await putDraft(wf.id, { baseVersion: 1, graph: lonely })
    expect(kept.status, JSON.stringify(kept.json)).toBe(200)
    const other = await seedTenant(t.db.prisma)
    expect((await putDraft(wf.id, { baseVersion: 1, graph: says('two') }, other)).status).toBe(404)
  })

  it('runs the designer graph without a version, and re-runs that same graph after the draft changed', async () => {
    const wf = await create(says('saved'))
    const first = await runDraft(wf.id, says('draft one'))
    expect(first.versionNumber).toBe(1)
    expect(await wordOf(first.executionId)).toBe('draft one')
    const second = await runDraft(wf.id, says('draft two'))
    expect(await wordOf(second.executionId)).toBe('draft two')
    expect(await versions(wf.id)).toBe(1)
    const row = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: first.executionId } })
    expect(row).toMatchObject({ versionNumber: 1, mode: 'manual' })

    // The draft moves on; the re-run of the first run runs what that run ran.
    await putDraft(wf.id, { baseVersion: 1, graph: says('draft three') })
    const again = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: first.executionId }, body: { fromFailedStep: false } })
    expect(again.status, JSON.stringify(again.json)).toBe(202)
    expect(await wordOf(again.json.executionId)).toBe('draft one')
    // 'current' re-runs the newest saved version instead.
    const current = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: first.executionId }, body: { version: 'current' } })
    expect(await wordOf(current.json.executionId)).toBe('saved')
    expect(await versions(wf.id)).toBe(1)
  })

  it('refuses an invalid draft run with its problems, never runs a draft in production, and tests the draft', async () => {
    const wf = await create(chain(node.webhook('drafts/prod', 'lastNode'), node.set('s', { word: 'published' })), true)
    const broken = await call(draftRun.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { graph: { nodes: [], edges: [] } } })
    expect(broken.status).toBe(400)
    await putDraft(wf.id, { baseVersion: 1, graph: chain(node.webhook('drafts/prod', 'lastNode'), node.set('s', { word: 'draft' })) })
    const hook = (base: string, handler: typeof webhook) =>
      call(handler.POST, { method: 'POST', url: `/api/${base}/drafts/prod`, params: { path: ['drafts', 'prod'] }, body: {} })
    expect((await hook('webhooks', webhook)).json).toMatchObject({ word: 'published' })
    // The designer's test URL runs the graph being edited (its draft), once, without a version.
    const listen = await call(webhookTest.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { nodeId: 'hook' } })
    expect(listen.status, JSON.stringify(listen.json)).toBe(200)
    expect((await hook('webhooks-test', testHook)).json).toMatchObject({ word: 'draft' })
    expect(await versions(wf.id)).toBe(1)
    expect((await call(activate.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: {} })).json).toMatchObject({ publishedVersion: 1 })
  })
})
