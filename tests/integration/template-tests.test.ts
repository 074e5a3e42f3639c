// "Test" on a template through the API, run by a real worker through the queue: a passing case, a failing one with its
// diff, an unrecorded outside node refused by name, the listing, 404/400/403, built-in ids, and tenants apart. Nothing
// is written to Execution or StepRun.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileService } from '../../lib/files'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { nodeRegistry } from '../../lib/nodes/registry'
import { cancellableSleep } from '../../lib/services/cancellable-sleep'
import { createSandbox } from '../../lib/sandbox/isolate'
import { offlineHostServices } from '../helpers/host-services'
import { startTestWorker } from '../helpers/worker'
import { call } from './backbone/support'
import * as testRoute from '../../app/api/templates/[id]/test/route'
import { processTemplateTestRun } from '../../workers/runtime/template-tests'

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
let a: SeededTenant, b: SeededTenant, viewer: SeededTenant
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-template-tests-'))
const sandbox = createSandbox({ poolSize: 1 })

beforeAll(async () => {
  t = await useTestEnv()
  ;[a, b, viewer] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' }), seedTenant(t.db.prisma, { role: 'viewer' })])
  // The file store the worker process has (File rows in PostgreSQL), so a case's files are real rows.
  worker = await startTestWorker(t, { services: { ...offlineHostServices(), files: createFileService(t.db.prisma, { dataDir, maxFileBytes: 1024 * 1024 }) } })
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
  fs.rmSync(dataDir, { recursive: true, force: true })
  sandbox.dispose()
})

const node = (id: string, type: string, name: string, params: Record<string, unknown> = {}, x = 0) => ({ id, type, name, params, position: { x, y: 0 } })

/** Webhook → HTTP Request (the price list) → Code (total with the VAT parameter). */
const graph = {
  nodes: [
    node('hook', 'webhook-trigger', 'Quote request', { path: 'quote' }),
    node('prices', 'http-request', 'Price list', { url: 'https://prices.example.com/{{ $json.body.sku }}' }, 200),
    node('total', 'code', 'Total', { source: 'return items.map((i) => ({ sku: i.sku, total: Math.round(i.price * (1 + {{ $param.vat }})) }))' }, 400),
  ],
  edges: [{ source: 'hook', target: 'prices' }, { source: 'prices', target: 'total' }],
}
const passing = { name: 'adds VAT', params: { vat: 0.2 }, input: [{ body: { sku: 'A1' } }], recorded: { 'Price list': [{ sku: 'A1', price: 100 }] }, expect: [{ node: 'Total', equals: [{ sku: 'A1', total: 120 }] }] }

async function seedTemplate(tenant: SeededTenant, name: string, versions: Array<{ testCases: unknown[]; graph?: object }>) {
  const template = await t.db.prisma.template.create({
    data: { tenantId: tenant.tenantId, name, category: 'webhooks', currentVersion: 1, latestVersion: versions.length },
  })
  for (const [i, v] of versions.entries()) {
    await t.db.prisma.templateVersion.create({
      data: {
        tenantId: tenant.tenantId,
        templateId: template.id,
        number: i + 1,
        graph: v.graph ?? (graph as object),
        parameters: [{ name: 'vat', type: 'number', default: 0.2 }],
        testCases: v.testCases as object[],
        nodeTypes: ['code', 'http-request', 'webhook-trigger'],
      },
    })
  }
  return template.id
}

const test = (tenant: SeededTenant, id: string, body: unknown = {}) => call(testRoute.POST, { method: 'POST', headers: tenant.headers, params: { id }, body })
const list = (tenant: SeededTenant, id: string) => call(testRoute.GET, { headers: tenant.headers, params: { id } })

describe('POST /api/templates/:id/test', () => {
  it('runs the cases on a worker and answers the outcome; nothing is recorded as an execution', async () => {
    const id = await seedTemplate(a, 'Quote', [{ testCases: [passing] }])
    const res = await test(a, id)
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(res.json).toMatchObject({ templateId: id, version: 1, status: 'passed', error: null })
    expect(res.json.results).toEqual([expect.objectContaining({ name: 'adds VAT', status: 'passed', checks: [{ node: 'Total', port: 'main', passed: true }] })])
    expect(await t.db.prisma.execution.count()).toBe(0)
    expect(await t.db.prisma.stepRun.count()).toBe(0)
  })

  it('a case whose output differs fails with the diff; the version asked for is the one tested', async () => {
    const wrong = { ...passing, name: 'wrong VAT', params: { vat: 0.1 } }
    const id = await seedTemplate(a, 'Quote v2', [{ testCases: [passing] }, { testCases: [passing, wrong] }])
    const res = await test(a, id, { version: 2 })
    expect(res.json).toMatchObject({ version: 2, status: 'failed' })
    expect(res.json.results[0].status).toBe('passed')
    expect(res.json.results[1]).toMatchObject({
      name: 'wrong VAT',
      status: 'failed',
      checks: [{ node: 'Total', passed: false, message: 'Output differs: [0].total: expected 120, got 110', actual: [{ sku: 'A1', total: 110 }] }],
    })
  })

  it('an outside node the case does not record is an error naming it', async () => {
    const id = await seedTemplate(a, 'Quote unrecorded', [{ testCases: [{ ...passing, recorded: {} }] }])
    const res = await test(a, id)
    expect(res.json.status).toBe('error')
    expect(res.json.results[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/^Node "Price list" calls an outside service .*record its response in the case/) })
  })

  it('a case may write files: they belong to no execution', async () => {
    const csv = {
      nodes: [node('m', 'manual-trigger', 'Start'), node('f', 'convert-to-file', 'To CSV', { operation: 'csv', fileName: 'rows.csv' }, 200)],
      edges: [{ source: 'm', target: 'f' }],
    }
    const fileCase = { name: 'writes a CSV', input: [{ a: 1 }, { a: 2 }], expect: [{ node: 'To CSV', schema: { type: 'array', minItems: 1, items: { required: ['file'], properties: { file: { required: ['$file', 'name'], properties: { name: { const: 'rows.csv' } } } } } } }] }
    const id = await seedTemplate(a, 'CSV export', [{ graph: csv, testCases: [fileCase] }])
    const res = await test(a, id)
    expect(res.json.results[0]).toMatchObject({ status: 'passed' })
    expect(await t.db.prisma.file.count({ where: { tenantId: a.tenantId, executionId: null } })).toBe(1)
  })

  it('refuses a version without test cases (400 naming testCases), unknown templates and versions (404), a bad body (400)', async () => {
    const id = await seedTemplate(a, 'No cases', [{ testCases: [] }])
    const none = await test(a, id)
    expect(none.status).toBe(400)
    expect(none.json.error.fields).toEqual({ testCases: 'none to run' })
    expect((await test(a, 'tpl_missing')).status).toBe(404)
    expect((await test(a, id, { version: 9 })).status).toBe(404)
    expect((await test(a, 'builtin:no-such-template')).status).toBe(404)
    const bad = await test(a, id, { version: 'two' })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.json.error.fields)).toEqual(['version'])
    expect(await t.db.prisma.templateTestRun.count({ where: { templateId: id } })).toBe(0)
  })

  it('a viewer may list runs but not start one (403)', async () => {
    const id = await seedTemplate(viewer, 'Viewer quote', [{ testCases: [passing] }])
    expect((await test(viewer, id)).status).toBe(403)
    expect((await list(viewer, id)).status).toBe(200)
  })

  it("keeps workspaces apart: another workspace's template is a 404 to test and to list", async () => {
    const id = await seedTemplate(a, 'Private quote', [{ testCases: [passing] }])
    await test(a, id)
    expect((await test(b, id)).status).toBe(404)
    expect((await list(b, id)).status).toBe(404)
    expect((await list(a, id)).json.runs).toHaveLength(1)
  })
})

describe('the worker', () => {
  it('runs a row once; a redelivery after a worker died takes its running row over', async () => {
    const id = await seedTemplate(a, 'Redelivered quote', [{ testCases: [passing] }])
    const row = await t.db.prisma.templateTestRun.create({ data: { tenantId: a.tenantId, templateId: id, version: 1, status: 'running' } })
    const deps = { prisma: t.db.prisma, registry: nodeRegistry, services: { http: { request: () => Promise.reject(new Error('no http')) }, sandbox, sleep: cancellableSleep, ...offlineHostServices() } }
    await processTemplateTestRun(deps, { testRunId: row.id, tenantId: a.tenantId })
    expect(await t.db.prisma.templateTestRun.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'running', results: null })
    await processTemplateTestRun(deps, { testRunId: row.id, tenantId: b.tenantId }, {}, false)
    expect(await t.db.prisma.templateTestRun.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'running', results: null })
    await processTemplateTestRun(deps, { testRunId: row.id, tenantId: a.tenantId }, {}, false)
    expect(await t.db.prisma.templateTestRun.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'passed', finishedAt: expect.any(Date) })
  })
})

describe('GET /api/templates/:id/test', () => {
  it('lists the runs of the template, newest first', async () => {
    const id = await seedTemplate(a, 'Listed quote', [{ testCases: [passing] }])
    const first = (await test(a, id)).json.id
    const second = (await test(a, id)).json.id
    const res = await list(a, id)
    expect(res.status).toBe(200)
    expect(res.json.runs.map((r: { id: string }) => r.id)).toEqual([second, first])
    expect(res.json.runs[0]).toMatchObject({ status: 'passed', version: 1 })
  })

  it('closes a run no worker finished within 30 minutes as an error, and leaves a recent one alone', async () => {
    const id = await seedTemplate(a, 'Abandoned quote', [{ testCases: [passing] }])
    const old = new Date(Date.now() - 31 * 60_000)
    const lost = await t.db.prisma.templateTestRun.create({ data: { tenantId: a.tenantId, templateId: id, version: 1, status: 'queued', createdAt: old } })
    const recent = await t.db.prisma.templateTestRun.create({ data: { tenantId: a.tenantId, templateId: id, version: 1, status: 'running' } })
    const runs = (await list(a, id)).json.runs as Array<{ id: string; status: string; error: string | null }>
    expect(runs.find((r) => r.id === lost.id)).toMatchObject({ status: 'error', error: expect.stringMatching(/no worker finished this run within 30 minutes/i) })
    expect(runs.find((r) => r.id === recent.id)).toMatchObject({ status: 'running', error: null })
  })
})
