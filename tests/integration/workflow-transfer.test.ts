// Workflow files through the API: export → import gives the same graph (new ids) and it runs; credentials travel as
// kind + name and are mapped in the importing workspace or reported missing; bad files are refused naming the field
// and create nothing; roles and tenants apart.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { workflowGraphSchema } from '../../lib/engine/graph-schema'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, streamedRequest, waitForStatus } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as workflowRoute from '../../app/api/workflows/[id]/route'
import * as exportRoute from '../../app/api/workflows/[id]/export/route'
import * as importRoute from '../../app/api/workflows/import/route'
import * as run from '../../app/api/workflows/[id]/run/route'
import * as credentials from '../../app/api/credentials/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
/** Two workspaces: files go from A to B. */
let a: SeededTenant, b: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  ;[a, b] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' })])
  worker = await startTestWorker(t)
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

type Graph = { nodes: Array<{ id: string; name: string; params: Record<string, unknown> }>; edges: Array<{ source: string; target: string; sourcePort: string; targetPort: string }>; notes: Array<{ id: string }> }

/**
 * A graph with its ids replaced by node names, so two copies compare equal whatever their ids; in its saved form
 * (a node's `settings: {}` is saved with its defaults written out, an absent one as `{}`: the same run either way).
 */
function shape(saved: Graph) {
  const graph = workflowGraphSchema.parse(saved) as Graph
  const nameOf = new Map(graph.nodes.map((n) => [n.id, n.name]))
  return {
    nodes: graph.nodes.map(({ id: _, ...rest }) => rest),
    edges: graph.edges.map((e) => `${nameOf.get(e.source)}:${e.sourcePort}->${nameOf.get(e.target)}:${e.targetPort}`),
    notes: graph.notes.map(({ id: _, ...rest }) => rest),
  }
}

async function create(tenant: SeededTenant, name: string, graph: unknown) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name, graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

async function credential(tenant: SeededTenant, name: string, kind: string, data: Record<string, string>) {
  const res = await call(credentials.POST, { method: 'POST', headers: tenant.headers, body: { name, kind, data } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

const exportOf = (tenant: SeededTenant, id: string, version?: number) =>
  call(exportRoute.GET, { headers: tenant.headers, params: { id }, url: `/api/workflows/${id}/export${version ? `?version=${version}` : ''}` })

const importAs = (tenant: SeededTenant, body: unknown) => call(importRoute.POST, { method: 'POST', headers: tenant.headers, body })

const graphOf = async (tenant: SeededTenant, id: string) => (await call(workflowRoute.GET, { headers: tenant.headers, params: { id } })).json.version.graph as Graph

const countWorkflows = () => t.db.prisma.workflow.count()

const smtp = (id: string, credentialId: string) => ({ id, type: 'send-email', name: `Mail ${id}`, params: { credential: credentialId, to: 'ops@example.com' }, settings: { disabled: true } })

describe('export', () => {
  it('answers the file as an attachment named after the workflow, the current version unless one is asked for', async () => {
    const id = await create(a, 'Sync <new> leads!', chain(node.manual(), node.set('s', { v: 1 })))
    const v2 = chain(node.manual(), node.set('s', { v: 2 }))
    expect((await call(workflowRoute.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, graph: v2 } })).status).toBe(200)
    const current = await exportOf(a, id)
    expect(current.status).toBe(200)
    expect(current.res.headers.get('content-disposition')).toMatch(/^attachment; filename="sync-new-leads\.auterity\.json"/)
    expect(current.res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(current.json).toMatchObject({ format: 'auterity.workflow', formatVersion: 1, workflow: { name: 'Sync <new> leads!', settings: {} }, credentials: [] })
    expect(current.json.workflow.graph.nodes[1].params.fields[0].value).toBe(2)
    expect((await exportOf(a, id, 1)).json.workflow.graph.nodes[1].params.fields[0].value).toBe(1)
    expect((await exportOf(a, id, 9)).status).toBe(404)
  })

  it('is a 404 for another workspace\'s workflow', async () => {
    const id = await create(a, 'Private', chain(node.manual()))
    const res = await exportOf(b, id)
    expect(res.status).toBe(404)
    expect(JSON.stringify(res.json)).not.toContain('Private')
  })

  it('never carries a credential id or secret: a ref with the kind and name instead', async () => {
    const secret = `pw-${randomBytes(6).toString('hex')}`
    const credId = await credential(a, 'Mail server', 'smtp', { host: 'smtp.example.com', password: secret })
    const id = await create(a, 'Mailer', chain(node.manual(), smtp('m1', credId), smtp('m2', credId)))
    const res = await exportOf(a, id)
    const text = JSON.stringify(res.json)
    expect(text).not.toContain(credId)
    expect(text).not.toContain(secret)
    expect(text).not.toContain('smtp.example.com')
    expect(res.json.credentials).toEqual([{ ref: 'credential-1', kind: 'smtp', name: 'Mail server' }])
    expect(res.json.workflow.graph.nodes[1].params.credential).toEqual({ $credentialRef: 'credential-1' })
  })
})

describe('import', () => {
  it('round-trips: the same graph under new ids, the same credentials in the same workspace, and it runs', async () => {
    const credId = await credential(a, 'Round trip SMTP', 'smtp', { host: 'smtp.example.com' })
    const graph = chain(node.manual(), node.set('s', { greeting: 'hi {{ $json.who }}' }), { ...node.code('c', 'return items.map((i) => ({ ...i, n: 1 }))'), settings: { maxAttempts: 2, notes: 'adds n' } }, smtp('mail', credId))
    const original = await create(a, 'Round trip', { ...graph, notes: [{ id: 'note-1', text: 'Why this exists', position: { x: 5, y: 5 } }] })
    const file = (await exportOf(a, original)).json
    const res = await importAs(a, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    expect(res.json.report).toEqual({ missingCredentials: [], unknownNodeTypes: [], missingWorkflows: [], droppedSettings: [] })
    const [before, after] = await Promise.all([graphOf(a, original), graphOf(a, res.json.id)])
    expect(shape(after)).toEqual(shape(before))
    expect(after.nodes.map((n) => n.id).some((id) => before.nodes.some((o) => o.id === id))).toBe(false)
    expect(after.nodes[3].params.credential).toBe(credId)
    const wf = await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: res.json.id } })
    expect(wf).toMatchObject({ name: 'Round trip', tenantId: a.tenantId, currentVersion: 1, active: false })

    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: res.json.id }, body: { input: [{ who: 'Ada' }] } })
    expect(started.status, JSON.stringify(started.json)).toBe(202)
    const row = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
    expect(row.status, JSON.stringify(row.error)).toBe('succeeded')
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: row.id, nodeId: after.nodes[2].id } })
    expect(step.output).toMatchObject({ main: [{ who: 'Ada', greeting: 'hi Ada', n: 1 }] })
  })

  it('maps credentials into another workspace by kind and name, or by an explicit map, and reports the rest', async () => {
    const [mail, token, other] = await Promise.all([
      credential(a, 'Shared SMTP', 'smtp', { host: 'a.example.com' }),
      credential(a, 'CRM token', 'bearer', { token: 'a-secret' }),
      credential(a, 'Only in A', 'bearer', { token: 'a-other' }),
    ])
    const http = (id: string, credentialId: string) => ({ ...node.http(id, 'http://127.0.0.1:9/x'), params: { method: 'GET', url: 'http://127.0.0.1:9/x', credential: credentialId } })
    const id = await create(a, 'Cross', chain(node.manual(), smtp('mail', mail), http('crm', token), http('other', other)))
    const file = (await exportOf(a, id)).json
    expect(file.credentials.map((c: { kind: string; name: string }) => `${c.kind}:${c.name}`)).toEqual(['smtp:Shared SMTP', 'bearer:CRM token', 'bearer:Only in A'])

    const bMail = await credential(b, 'Shared SMTP', 'smtp', { host: 'b.example.com' })
    await credential(b, 'CRM token', 'apiKey', { header: 'x-key', value: 'b' }) // same name, another kind: no match
    const res = await importAs(b, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const graph = await graphOf(b, res.json.id)
    expect(graph.nodes.map((n) => n.params.credential)).toEqual([undefined, bMail, undefined, undefined])
    expect(res.json.report.missingCredentials).toEqual([
      { ref: 'credential-2', kind: 'bearer', name: 'CRM token', reason: 'not-found', nodes: [{ id: graph.nodes[2].id, name: 'HTTP crm' }] },
      { ref: 'credential-3', kind: 'bearer', name: 'Only in A', reason: 'not-found', nodes: [{ id: graph.nodes[3].id, name: 'HTTP other' }] },
    ])

    const bToken = await credential(b, 'Whatever B calls it', 'bearer', { token: 'b-secret' })
    const mapped = await importAs(b, { file, name: 'Cross (mapped)', credentialMap: { 'credential-2': bToken, 'credential-3': bToken } })
    expect(mapped.status, JSON.stringify(mapped.json)).toBe(201)
    expect(mapped.json.report.missingCredentials).toEqual([])
    expect(mapped.json.report.renamed).toEqual({ from: 'Cross', to: 'Cross (mapped)' })
    expect((await graphOf(b, mapped.json.id)).nodes.map((n) => n.params.credential)).toEqual([undefined, bMail, bToken, bToken])

    const before = await countWorkflows()
    const wrongKind = await importAs(b, { file, credentialMap: { 'credential-1': bToken } })
    expect(wrongKind.status).toBe(400)
    expect(wrongKind.json.error.fields).toEqual({ 'credentialMap.credential-1': `credential ${bToken} is a bearer credential; the file needs smtp` })
    const foreign = await importAs(b, { file, credentialMap: { 'credential-2': token } })
    expect(foreign.json.error.fields).toEqual({ 'credentialMap.credential-2': `credential ${token} not found in this workspace` })
    expect(await countWorkflows()).toBe(before)
  })

  it('reports unknown node types, missing sub-workflows and error workflows, keeping every node', async () => {
    const target = await create(a, 'Child', chain(node.manual()))
    const id = await create(a, 'Odd', chain(node.manual(), { id: 'call', type: 'execute-workflow', name: 'Call child', params: { workflowId: target } }))
    const file = (await exportOf(a, id)).json
    file.workflow.graph.nodes.push({ id: 'future', type: 'quantum-teleport', typeVersion: 1, name: 'Teleport', params: { where: 'mars' }, settings: {}, position: { x: 0, y: 0 } })
    file.workflow.graph.nodes[0].typeVersion = 99
    file.workflow.settings = { errorWorkflowId: target, maxConcurrency: 3 }
    const res = await importAs(b, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const graph = await graphOf(b, res.json.id)
    expect(graph.nodes).toHaveLength(3)
    expect(graph.nodes[2]).toMatchObject({ type: 'quantum-teleport', params: { where: 'mars' } })
    expect(res.json.report.unknownNodeTypes).toEqual([
      { type: 'manual-trigger', typeVersion: 99, reason: 'unknown-version', nodes: [{ id: graph.nodes[0].id, name: 'Manual trigger' }] },
      { type: 'quantum-teleport', typeVersion: 1, reason: 'unknown-type', nodes: [{ id: graph.nodes[2].id, name: 'Teleport' }] },
    ])
    expect(res.json.report.missingWorkflows).toEqual([{ workflowId: target, nodes: [{ id: graph.nodes[1].id, name: 'Call child' }] }])
    expect(res.json.report.droppedSettings).toEqual([{ key: 'errorWorkflowId', value: target, reason: `workflow ${target} not found in this workspace` }])
    expect(res.json.problems.map((p: { code: string }) => p.code)).toContain('UNKNOWN_NODE_TYPE')
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: res.json.id } })).settings).toEqual({ maxConcurrency: 3 })
  })

  it('keeps markup in a name as text and strips control characters, saying so', async () => {
    const file = (await exportOf(a, await create(a, 'Plain', chain(node.manual())))).json
    file.workflow.name = '<img src=x onerror=alert(1)>\u0007 Flow\u001b'
    const res = await importAs(a, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    expect(res.json.report.renamed).toEqual({ from: file.workflow.name, to: '<img src=x onerror=alert(1)> Flow' })
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: res.json.id } })).name).toBe('<img src=x onerror=alert(1)> Flow')
  })
})

describe('bad files change nothing', () => {
  const good = () => ({ format: 'auterity.workflow', formatVersion: 1, workflow: { name: 'Bad', graph: chain(node.manual()) }, credentials: [] })
  const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'no-op', name: `N${i}` }))

  it.each([
    ['a wrong format version', { file: { ...good(), formatVersion: 2 } }, 'formatVersion', /must be 1 \(got 2\)/],
    ['another format', { file: { ...good(), format: 'n8n-workflow' } }, 'format', /must be "auterity.workflow"/],
    ['malformed JSON text', { file: '{"format": "auterity.workflow", "workflow": {' }, 'file', /not valid JSON/],
    ['20,001 nodes', { file: { ...good(), workflow: { name: 'Big', graph: { nodes: nodes(20_001) } } } }, 'workflow.graph.nodes', /more than 20000 nodes/],
    ['a name of control characters only', { file: { ...good(), workflow: { name: '\u0001\u0002', graph: chain(node.manual()) } } }, 'workflow.name', /empty once control characters are removed/],
    ['an empty name given', { file: good(), name: '  ' }, 'name', /empty/],
    ['unknown settings', { file: { ...good(), workflow: { name: 'S', settings: { retries: 3 }, graph: chain(node.manual()) } } }, 'workflow.settings', /./],
    ['no file', { name: 'x' }, 'file', /file is required/],
  ])('%s: 400 naming the field', async (_what, body, field, message) => {
    const before = await countWorkflows()
    const res = await importAs(a, body)
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(Object.keys(res.json.error.fields)[0]).toBe(field)
    expect(res.json.error.message).toMatch(message)
    expect(await countWorkflows()).toBe(before)
  })

  it.each([
    ['__proto__ in a node\'s params', '{"file":{"format":"auterity.workflow","formatVersion":1,"workflow":{"name":"P","graph":{"nodes":[{"id":"a","type":"set","name":"A","params":{"__proto__":{"polluted":true}}}]}}}}', 'file.workflow.graph.nodes.0.params.__proto__'],
    ['constructor.prototype in the settings', '{"file":{"format":"auterity.workflow","formatVersion":1,"workflow":{"name":"P","settings":{"constructor":{"prototype":{"polluted":true}}},"graph":{"nodes":[]}}}}', 'file.workflow.settings.constructor'],
    ['__proto__ in the credential map', '{"file":{"format":"auterity.workflow","formatVersion":1,"workflow":{"name":"P","graph":{"nodes":[]}}},"credentialMap":{"__proto__":"x"}}', 'credentialMap.__proto__'],
  ])('%s: 400 naming it, Object.prototype untouched', async (_what, text, field) => {
    const before = await countWorkflows()
    const res = await importAs(a, text)
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(Object.keys(res.json.error.fields)).toEqual([field])
    expect(res.json.error.message).toMatch(/reserved/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await countWorkflows()).toBe(before)
  })

  it('refuses a 100 MB body with 413 at once, from its declared length or after reading no more than the limit', async () => {
    const HUNDRED_MB = 100 * 1024 * 1024
    const IMPORT = '/api/workflows/import'
    const before = await countWorkflows()
    const started = Date.now()
    const declared = await importRoute.POST(streamedRequest(IMPORT, HUNDRED_MB, a.headers, true).req, { params: Promise.resolve({}) })
    expect(declared.status).toBe(413)
    expect((await declared.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'Body is larger than the limit of 16777216 bytes' })
    const body = streamedRequest(IMPORT, HUNDRED_MB, a.headers)
    const cut = await importRoute.POST(body.req, { params: Promise.resolve({}) })
    expect(cut.status).toBe(413)
    expect(body.sent()).toBeLessThan(17 * 1024 * 1024)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await countWorkflows()).toBe(before)
  })

  it('a viewer can export but not import', async () => {
    const id = await create(a, 'Seen', chain(node.manual()))
    const viewer = await addMember(t.db.prisma, a, 'viewer')
    expect((await exportOf(viewer, id)).status).toBe(200)
    const file = (await exportOf(viewer, id)).json
    const before = await countWorkflows()
    const res = await importAs(viewer, { file })
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('FORBIDDEN')
    expect(await countWorkflows()).toBe(before)
  })
})

