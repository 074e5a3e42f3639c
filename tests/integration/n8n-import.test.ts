// Importing an n8n workflow through the API: the preview answers the graph and the report and saves nothing; saving
// creates an inactive draft that runs on a real worker as n8n would; bad files are refused naming the field.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, waitForStatus } from './backbone/support'
import * as importN8n from '../../app/api/workflows/import/n8n/route'
import * as run from '../../app/api/workflows/[id]/run/route'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker
const fixture = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/n8n/set-if-code.json'), 'utf8')

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

const post = (body: unknown, tenant = a) => call(importN8n.POST, { method: 'POST', headers: tenant.headers, body })
const workflowCount = () => t.db.prisma.workflow.count({ where: { tenantId: a.tenantId } })

describe('n8n import', () => {
  it('previews without saving, then saves a draft that runs and gives what n8n gives', async () => {
    const before = await workflowCount()
    const preview = await post({ file: fixture })
    expect(preview.status, JSON.stringify(preview.json)).toBe(200)
    expect(preview.json).toMatchObject({ name: 'Orders: total, then tag big and small ones', report: { summary: { nodes: 5, mapped: 5, placeholders: 0 }, graphProblems: [] } })
    expect(preview.json.id).toBeUndefined()
    expect(preview.json.report.nodes.map((n: { name: string; type: string }) => [n.name, n.type])).toEqual([
      ['When clicking "Test workflow"', 'manual-trigger'], ['Set total', 'set'], ['Big order?', 'if'], ['Tag big', 'code'], ['Tag small', 'code'],
    ])
    expect(await workflowCount()).toBe(before)

    const saved = await post({ file: JSON.parse(fixture), name: 'Orders from n8n', save: true })
    expect(saved.status, JSON.stringify(saved.json)).toBe(201)
    expect(await workflowCount()).toBe(before + 1)
    const wf = await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: saved.json.id } })
    expect(wf).toMatchObject({ name: 'Orders from n8n', active: false, currentVersion: 1 })

    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: wf.id }, body: { input: [{ id: 1, price: 60, qty: 2 }, { id: 2, price: 5, qty: 3 }] } })
    expect(started.status, JSON.stringify(started.json)).toBeLessThan(300)
    const done = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId: done.id }, select: { nodeName: true, output: true } })
    const out = (name: string) => (steps.find((s) => s.nodeName === name)?.output as { main: unknown[] }).main
    expect(out('Tag big')).toEqual([{ id: 1, price: 60, qty: 2, total: 120, label: 'Order 1', tag: 'big' }])
    expect(out('Tag small')).toEqual([{ id: 2, price: 5, qty: 3, total: 15, label: 'Order 2', tag: 'small' }])
  })

  it('reports what does not come across, node by node, before anything is saved', async () => {
    const file = JSON.parse(fixture)
    file.nodes.push({ parameters: { channel: '#orders' }, name: 'Tell Slack', type: 'n8n-nodes-base.slack', typeVersion: 2.2, position: [900, 0] })
    file.connections['Tag big'] = { main: [[{ node: 'Tell Slack', type: 'main', index: 0 }]] }
    const preview = await post({ file })
    expect(preview.status).toBe(200)
    const slack = preview.json.report.nodes.find((n: { n8nName: string }) => n.n8nName === 'Tell Slack')
    expect(slack).toMatchObject({ status: 'placeholder', type: 'no-op', n8nType: 'n8n-nodes-base.slack' })
    expect(slack.unmapped.map((u: { path: string }) => u.path)).toContain('parameters.channel')
  })

  it('refuses bad files naming the field, and saves nothing', async () => {
    const before = await workflowCount()
    expect(await post({ file: '{bad' })).toMatchObject({ status: 400, json: { error: { fields: { file: expect.stringContaining('not valid JSON') } } } })
    expect(await post({ file: { nodes: 'x', connections: {} }, save: true })).toMatchObject({ status: 400, json: { error: { fields: { nodes: expect.any(String) } } } })
    const polluted = `{"nodes":[{"__proto__":{"admin":true},"name":"x","type":"n8n-nodes-base.noOp","typeVersion":1,"position":[0,0],"parameters":{}}],"connections":{}}`
    expect(await post({ file: polluted, save: true })).toMatchObject({ status: 400, json: { error: { fields: { 'nodes.0.__proto__': expect.any(String) } } } })
    expect(await post({ file: fixture, name: '\u0000\u0007', save: true })).toMatchObject({ status: 400, json: { error: { fields: { name: expect.any(String) } } } })
    expect(await post({ save: true })).toMatchObject({ status: 400, json: { error: { fields: { file: expect.any(String) } } } })
    const viewer = await seedTenant(t.db.prisma, { role: 'viewer' })
    expect((await post({ file: fixture, save: true }, viewer)).status).toBe(403)
    expect(await workflowCount()).toBe(before)
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })
})
