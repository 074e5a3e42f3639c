// Pinned data through the real path (API → queue → worker → PostgreSQL): a pinned HTTP step outputs its pinned items in
// a run started from the designer and never calls out, while the same workflow run by its production webhook really
// calls the (counting) server. Pinned data is saved with the version and refused beyond its size cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as draftRun from '../../../app/api/workflows/[id]/draft/run/route'
import * as webhook from '../../../app/api/webhooks/[...path]/route'
import { closeAppServices } from '../../../lib/services/app'
import { isPinnedStep, PIN_DATA_MAX_BYTES } from '../../../lib/engine/pin-data'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker
let upstream: Server
let upstreamUrl = ''
let calls = 0

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  upstream = createServer((_req, res) => {
    calls++
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fromServer: true, call: calls }))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  worker = await startTestWorker(t, { http: { allowList: [new URL(upstreamUrl).host] } })
})
afterAll(async () => {
  await worker?.close()
  await new Promise((r) => upstream?.close(r))
  await closeAppServices()
  await t?.teardown()
})

const pinned = [{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }]

async function steps(executionId: string) {
  const rows = await t.db.prisma.stepRun.findMany({ where: { executionId } })
  return Object.fromEntries(rows.map((r) => [r.nodeId, r]))
}

describe('pinned data', () => {
  it('is used by designer runs and never by production (webhook) runs', async () => {
    const graph = { ...chain(node.webhook('pinned/orders'), node.http('fetch', `${upstreamUrl}/customers`), node.set('mark', { marked: true })), pinData: { fetch: pinned } }
    const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Pinned', graph, active: true } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const id = created.json.id as string
    const version = await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId: id } })
    expect((version.graph as { pinData?: unknown }).pinData).toEqual({ fetch: pinned })

    // Run from the designer (a draft run): the pinned step does not call the server; the next step gets the pinned items.
    const started = await call(draftRun.POST, { method: 'POST', headers: a.headers, params: { id }, body: { graph } })
    expect(started.status, JSON.stringify(started.json)).toBe(202)
    const manual = started.json.executionId as string
    await waitForStatus(t.db.prisma, manual, ['succeeded'])
    expect(calls).toBe(0)
    const manualSteps = await steps(manual)
    expect(manualSteps.fetch.output).toEqual({ main: pinned })
    expect(isPinnedStep(manualSteps.fetch)).toBe(true)
    expect(manualSteps.mark.output).toEqual({ main: pinned.map((p) => ({ ...p, marked: true })) })
    expect(isPinnedStep(manualSteps.mark)).toBe(false)

    // The same workflow from its production webhook: the step really runs.
    const req = new Request('http://localhost/api/webhooks/pinned/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":7}' })
    const res = await webhook.POST(req, { params: Promise.resolve({ path: ['pinned', 'orders'] }) })
    expect(res.status).toBe(202)
    const production = (await res.json()).executionId as string
    await waitForStatus(t.db.prisma, production, ['succeeded'])
    expect(calls).toBe(1)
    const prodSteps = await steps(production)
    expect((prodSteps.fetch.output as { main: unknown[] }).main).toEqual([expect.objectContaining({ status: 200, body: { fromServer: true, call: 1 } })])
    expect(isPinnedStep(prodSteps.fetch)).toBe(false)
    expect(await t.db.prisma.execution.findUniqueOrThrow({ where: { id: production }, select: { mode: true } })).toEqual({ mode: 'webhook' })

    // The saved version run through the API (an API client's manual run, no designer graph): the step really runs too.
    const viaApi = await call(run.POST, { method: 'POST', headers: a.headers, params: { id }, body: {} })
    expect(viaApi.status, JSON.stringify(viaApi.json)).toBe(202)
    await waitForStatus(t.db.prisma, viaApi.json.executionId as string, ['succeeded'])
    expect(calls).toBe(2)
    expect(isPinnedStep((await steps(viaApi.json.executionId as string)).fetch)).toBe(false)
  })

  it('refuses more than 1 MB of pinned data, naming the field', async () => {
    const graph = { ...chain(node.manual(), node.set('s', { x: 1 })), pinData: { s: [{ text: 'x'.repeat(PIN_DATA_MAX_BYTES) }] } }
    const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Too much', graph } })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.json)).toMatch(/graph\.pinData.*at most 1\.00 MB/)
  })
})
