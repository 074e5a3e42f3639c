// Templates through the API, on real PostgreSQL and Redis: publish a workflow with bindings, use the template with
// parameters and a credential, run the result on a worker; publishing and use refuse bad input naming the field and
// create nothing; versions, rollback, upgrades (kept edits, conflicts resolved either way), template files round
// trip; tenants apart and roles.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, waitForStatus, type NodeSpec } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as workflowRoute from '../../app/api/workflows/[id]/route'
import * as run from '../../app/api/workflows/[id]/run/route'
import * as credentialsRoute from '../../app/api/credentials/route'
import * as templates from '../../app/api/templates/route'
import * as templateRoute from '../../app/api/templates/[id]/route'
import * as versionsRoute from '../../app/api/templates/[id]/versions/route'
import * as rollbackRoute from '../../app/api/templates/[id]/rollback/route'
import * as useRoute from '../../app/api/templates/[id]/use/route'
import * as exportRoute from '../../app/api/templates/[id]/export/route'
import * as importRoute from '../../app/api/templates/import/route'
import * as linkRoute from '../../app/api/workflows/[id]/template/route'
import * as upgradeRoute from '../../app/api/workflows/[id]/template/upgrade/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
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

type Graph = { nodes: Array<{ id: string; name: string; params: Record<string, any> }>; edges: Array<{ source: string; target: string }> }

const unique = (name: string) => `${name} ${randomBytes(3).toString('hex')}`

async function createWorkflow(tenant: SeededTenant, graph: unknown, name = unique('Source')) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name, graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

async function credential(tenant: SeededTenant, kind: string, data: Record<string, string>) {
  const res = await call(credentialsRoute.POST, { method: 'POST', headers: tenant.headers, body: { name: unique('Cred'), kind, data } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

const post = (handler: Parameters<typeof call>[0], tenant: SeededTenant, body: unknown, params: Record<string, string> = {}) =>
  call(handler, { method: 'POST', headers: tenant.headers, body, params })
const getTemplate = (tenant: SeededTenant, id: string, version?: number) =>
  call(templateRoute.GET, { headers: tenant.headers, params: { id }, url: `/api/templates/${encodeURIComponent(id)}${version ? `?version=${version}` : ''}` })
const graphOf = async (tenant: SeededTenant, id: string) => (await call(workflowRoute.GET, { headers: tenant.headers, params: { id } })).json.version.graph as Graph
const saveGraph = async (tenant: SeededTenant, id: string, baseVersion: number, graph: unknown) => {
  const res = await call(workflowRoute.PUT, { method: 'PUT', headers: tenant.headers, params: { id }, body: { baseVersion, graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
  return res.json.version as number
}
const counts = async () => ({ workflows: await t.db.prisma.workflow.count(), templates: await t.db.prisma.template.count(), versions: await t.db.prisma.templateVersion.count() })

const mail = (credentialId: string): NodeSpec => ({ id: 'mail', type: 'send-email', name: 'Mail', params: { credential: credentialId, to: 'ops@example.com' }, settings: { disabled: true } })
const greet = (greeting: unknown, extra: Record<string, unknown> = {}) => node.set('s', { greeting, count: 3, ...extra })

async function publish(tenant: SeededTenant, workflowId: string, body: Record<string, unknown> = {}) {
  return post(templates.POST, tenant, {
    workflowId,
    name: unique('Greeter'),
    description: 'Greets whoever comes in',
    category: 'productivity',
    tags: ['hello', 'Demo'],
    parameters: [{ name: 'greeting', label: 'Greeting', required: true }, { name: 'count' }],
    bindings: [{ nodeId: 's', path: 'fields.0.value', param: 'greeting' }, { nodeId: 's', path: 'fields.1.value', param: 'count' }],
    ...body,
  })
}

describe('publish → use → run', () => {
  it('publishes with bindings, lists and reads it, makes a workflow from it that runs with the given values', async () => {
    const smtp = await credential(a, 'smtp', { host: 'smtp.example.com', password: 'secret-pw' })
    const source = await createWorkflow(a, chain(node.manual(), greet('Hello'), node.code('c', 'return items.map((i) => ({ ...i, line: `${i.greeting} ${i.who} x${i.count}` }))'), mail(smtp)))
    const res = await publish(a, source)
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    expect(res.json).toEqual({ id: expect.any(String), version: 1 })
    const id = res.json.id as string

    const detail = await getTemplate(a, id)
    expect(detail.status).toBe(200)
    expect(detail.json).toMatchObject({ id, source: 'workspace', category: 'productivity', currentVersion: 1, latestVersion: 1, version: 1 })
    const content = detail.json.content
    expect(content.graph.nodes[1].params.fields.map((f: { value: unknown }) => f.value)).toEqual(['{{ $param.greeting }}', '{{ $param.count }}'])
    expect(content.parameters).toMatchObject([{ name: 'greeting', type: 'string', default: 'Hello', required: true }, { name: 'count', type: 'number', default: 3 }])
    expect(content.credentials).toEqual([{ ref: 'credential-1', kinds: ['smtp'], required: true }])
    expect(content.graph.nodes[3].params.credential).toEqual({ $credentialRef: 'credential-1' })
    expect(JSON.stringify(content)).not.toContain(smtp)
    expect(detail.json.versions).toEqual([{ number: 1, changelog: 'First version', createdAt: expect.any(String), current: true }])

    const listed = await call(templates.GET, { headers: a.headers, url: '/api/templates?q=GREETS&source=workspace' })
    const entry = listed.json.templates.find((x: { id: string }) => x.id === id)
    expect(entry).toMatchObject({ source: 'workspace', parameterCount: 2, credentialKinds: ['smtp'], nodeTypes: ['code', 'manual-trigger', 'send-email', 'set'] })
    expect(entry.preview.nodes).toHaveLength(4)
    expect(entry.preview.edges[0]).toEqual({ source: 'trigger', target: 's' })
    expect(listed.json.categories).toContainEqual({ name: 'productivity', count: expect.any(Number) })
    expect(listed.json.nodeTypes).toContainEqual({ type: 'set', label: expect.any(String), count: expect.any(Number) })
    expect((await call(templates.GET, { headers: a.headers, url: '/api/templates?q=demo&nodeType=code' })).json.templates.map((x: { id: string }) => x.id)).toContain(id)
    expect((await call(templates.GET, { headers: a.headers, url: '/api/templates?nodeType=http-request' })).json.templates.map((x: { id: string }) => x.id)).not.toContain(id)
    expect((await call(templates.GET, { headers: a.headers, url: '/api/templates?category=ai' })).json.templates.map((x: { id: string }) => x.id)).not.toContain(id)

    const smtp2 = await credential(a, 'smtp', { host: 'other.example.com' })
    const used = await post(useRoute.POST, a, { name: 'My greeter', params: { greeting: 'Hi', count: '5' }, credentials: { 'credential-1': smtp2 } }, { id })
    expect(used.status, JSON.stringify(used.json)).toBe(201)
    const wfId = used.json.workflowId as string
    const graph = await graphOf(a, wfId)
    expect(graph.nodes.map((n) => n.id)).toEqual(['trigger', 's', 'c', 'mail'])
    expect(graph.nodes[1].params.fields.map((f: { value: unknown }) => f.value)).toEqual(['Hi', 5])
    expect(graph.nodes[3].params.credential).toBe(smtp2)
    const row = await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wfId } })
    expect(row).toMatchObject({ name: 'My greeter', tenantId: a.tenantId, templateId: id, templateVersion: 1, templateInputs: { params: { greeting: 'Hi', count: 5 }, credentials: { 'credential-1': smtp2 } } })

    const started = await post(run.POST, a, { input: [{ who: 'Ada' }] }, { id: wfId })
    expect(started.status, JSON.stringify(started.json)).toBe(202)
    const execution = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
    expect(execution.status, JSON.stringify(execution.error)).toBe('succeeded')
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: execution.id, nodeId: 'c' } })
    expect(step.output).toMatchObject({ main: [{ who: 'Ada', greeting: 'Hi', count: 5, line: 'Hi Ada x5' }] })

    const link = await call(linkRoute.GET, { headers: a.headers, params: { id: wfId } })
    expect(link.json).toMatchObject({ templateId: id, version: 1, currentVersion: 1, upgradeAvailable: false, newer: [] })
    expect((await call(linkRoute.GET, { headers: a.headers, params: { id: source } })).status).toBe(404)
  })

  it('makes a workflow from a built-in template that runs with the given values, and lists the built-ins', async () => {
    const listed = await call(templates.GET, { headers: a.headers, url: '/api/templates?source=builtin&q=sign-up' })
    expect(listed.json.templates.map((x: { id: string }) => x.id)).toContain('builtin:webhook-validate-respond')
    const path = `signup-${randomBytes(4).toString('hex')}`
    const used = await post(useRoute.POST, a, { params: { path, source: 'integration-test' } }, { id: 'builtin:webhook-validate-respond' })
    expect(used.status, JSON.stringify(used.json)).toBe(201)
    const wfId = used.json.workflowId as string
    const row = await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wfId } })
    expect(row).toMatchObject({ name: 'Validate a form webhook and answer', templateId: 'builtin:webhook-validate-respond', templateVersion: 1 })
    const graph = await graphOf(a, wfId)
    expect(graph.nodes.find((n) => n.id === 'webhook')?.params.path).toBe(path)
    expect(JSON.stringify(graph)).not.toContain('$param')

    const started = await post(run.POST, a, { input: [{ body: { email: '  Grace@Example.ORG ', name: ' Grace ' }, headers: {} }] }, { id: wfId })
    expect(started.status, JSON.stringify(started.json)).toBe(202)
    const execution = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
    expect(execution.status, JSON.stringify(execution.error)).toBe('succeeded')
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: execution.id, nodeId: 'normalize' } })
    expect(step.output).toMatchObject({ main: [{ email: 'grace@example.org', name: 'Grace', source: 'integration-test' }] })
    expect(await t.db.prisma.stepRun.count({ where: { executionId: execution.id, nodeId: 'rejected', status: 'succeeded' } })).toBe(0)
  })

  it('use refuses bad parameters and credentials, naming the field, and creates nothing', async () => {
    const smtp = await credential(a, 'smtp', { host: 'smtp.example.com' })
    const { json } = await publish(a, await createWorkflow(a, chain(node.manual(), greet('Hello'), mail(smtp))))
    const bearer = await credential(a, 'bearer', { token: 'x' })
    const foreign = await credential(b, 'smtp', { host: 'b.example.com' })
    const before = await counts()
    const cases: Array<[unknown, string]> = [
      [{ params: { greeting: '{{ $credentials.smtp.password }}' }, credentials: { 'credential-1': smtp } }, 'params.greeting'],
      [{ params: { greeting: 'x', count: '{{ $env.AUTERITY_ENCRYPTION_KEY }}' }, credentials: { 'credential-1': smtp } }, 'params.count'],
      [{ params: { greeting: 'x', count: 'many' }, credentials: { 'credential-1': smtp } }, 'params.count'],
      [{ params: { greeting: 'x', nope: 1 }, credentials: { 'credential-1': smtp } }, 'params.nope'],
      [{ params: { greeting: 'x' } }, 'credentials.credential-1'],
      [{ params: { greeting: 'x' }, credentials: { 'credential-1': bearer } }, 'credentials.credential-1'],
      [{ params: { greeting: 'x' }, credentials: { 'credential-1': foreign } }, 'credentials.credential-1'],
      [{ params: { greeting: 'x' }, credentials: { 'credential-1': smtp, other: smtp } }, 'credentials.other'],
      [{ params: { greeting: 'x' }, credentials: { 'credential-1': smtp }, version: 7 }, 'version'],
      [{ name: '\u0007\u001b', params: { greeting: 'x' }, credentials: { 'credential-1': smtp } }, 'name'],
    ]
    for (const [body, field] of cases) {
      const res = await post(useRoute.POST, a, body, { id: json.id })
      expect(res.status, `${field}: ${JSON.stringify(res.json)}`).toBe(400)
      expect(Object.keys(res.json.error.fields)[0]).toBe(field)
    }
    expect(await counts()).toEqual(before)
  })
})

describe('publishing validation', () => {
  it.each([
    ['a $param used but not declared', (g: unknown) => g, { parameters: [], bindings: [] }, 'graph.nodes.s.params.fields.0.value', true],
    ['a declared parameter no node uses', (g: unknown) => g, { parameters: [{ name: 'greeting' }, { name: 'count' }, { name: 'unused', type: 'string' }] }, 'parameters.2.name', false],
    ['a default that is an expression reaching for secrets', (g: unknown) => g, { parameters: [{ name: 'greeting', default: '{{ $env.SECRET }}' }, { name: 'count' }] }, 'parameters.0.default', false],
    ['a binding to a param that does not exist', (g: unknown) => g, { bindings: [{ nodeId: 's', path: 'fields.9.value', param: 'greeting' }] }, 'bindings.0.path', false],
    ['a binding to an unknown node', (g: unknown) => g, { bindings: [{ nodeId: 'zz', path: 'x', param: 'greeting' }] }, 'bindings.0.nodeId', false],
  ])('refuses %s, naming the field, and stores nothing', async (_, _shape, body, field, literalParam) => {
    const graph = chain(node.manual(), greet(literalParam ? '{{ $param.undeclared }}' : 'Hello'))
    const source = await createWorkflow(a, graph)
    const before = await counts()
    const res = await publish(a, source, body)
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(Object.keys(res.json.error.fields)).toContain(field)
    expect(await counts()).toEqual(before)
  })

  it('refuses a credential param holding an expression (a concrete credential cannot be turned into a slot)', async () => {
    const source = await createWorkflow(a, chain(node.manual(), greet('Hello'), mail('{{ $json.credentialId }}')))
    const res = await publish(a, source)
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(res.json.error.fields['graph.nodes.mail.params.credential']).toMatch(/concrete credential/)
  })

  it('a name taken in the workspace is a 409 naming name', async () => {
    const source = await createWorkflow(a, chain(node.manual(), greet('Hello')))
    const name = unique('Taken')
    expect((await publish(a, source, { name })).status).toBe(201)
    const res = await publish(a, source, { name })
    expect(res.status).toBe(409)
    expect(Object.keys(res.json.error.fields)).toEqual(['name'])
    expect((await publish(b, await createWorkflow(b, chain(node.manual(), greet('Hello'))), { name })).status).toBe(201)
  })
})

describe('versions and rollback', () => {
  it('publishes a new version that becomes current, rolls back to the first, keeps both', async () => {
    const source = await createWorkflow(a, chain(node.manual(), greet('Hello')))
    const { json } = await publish(a, source)
    const id = json.id as string
    await saveGraph(a, source, 1, chain(node.manual(), greet('Howdy', { extra: true })))
    const v2 = await post(versionsRoute.POST, a, { workflowId: source, changelog: 'Adds extra', bindings: [{ nodeId: 's', path: 'fields.0.value', param: 'greeting' }, { nodeId: 's', path: 'fields.1.value', param: 'count' }] }, { id })
    expect(v2.status, JSON.stringify(v2.json)).toBe(201)
    expect(v2.json).toEqual({ id, version: 2 })
    const detail = (await getTemplate(a, id)).json
    expect(detail).toMatchObject({ currentVersion: 2, latestVersion: 2, version: 2 })
    expect(detail.versions.map((v: { number: number; changelog: string; current: boolean }) => [v.number, v.changelog, v.current])).toEqual([[1, 'First version', false], [2, 'Adds extra', true]])
    expect(detail.content.parameters[0].default).toBe('Hello')

    const back = await post(rollbackRoute.POST, a, { version: 1 }, { id })
    expect(back.status, JSON.stringify(back.json)).toBe(200)
    expect(back.json).toEqual({ id, currentVersion: 1, latestVersion: 2 })
    expect((await getTemplate(a, id)).json.content.graph.nodes[1].params.fields).toHaveLength(2)
    expect((await getTemplate(a, id, 2)).json.content.graph.nodes[1].params.fields).toHaveLength(3)
    const used = await post(useRoute.POST, a, { params: { greeting: 'Yo' } }, { id })
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: used.json.workflowId } })).templateVersion).toBe(1)
    expect((await graphOf(a, used.json.workflowId)).nodes[1].params.fields).toHaveLength(2)

    expect((await post(rollbackRoute.POST, a, { version: 9 }, { id })).json.error.fields).toHaveProperty('version')
    expect((await post(versionsRoute.POST, a, { workflowId: source, bindings: [] }, { id })).status).toBe(400)
    expect((await post(rollbackRoute.POST, a, { version: 1 }, { id: 'builtin:anything' })).status).toBe(400)

    const bindings = [{ nodeId: 's', path: 'fields.0.value', param: 'greeting' }, { nodeId: 's', path: 'fields.1.value', param: 'count' }]
    const racing = await Promise.all([1, 2, 3].map((i) => post(versionsRoute.POST, a, { workflowId: source, changelog: `race ${i}`, bindings }, { id })))
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201])
    expect(racing.map((r) => r.json.version).sort()).toEqual([3, 4, 5])
    expect((await getTemplate(a, id)).json).toMatchObject({ currentVersion: 5, latestVersion: 5 })
  })
})

describe('upgrade', () => {
  const code = (source: string): NodeSpec => node.code('c', source)
  const v1 = () => chain(node.manual(), greet('Hello'), code('return items'))

  async function setup() {
    const source = await createWorkflow(a, v1())
    const id = (await publish(a, source)).json.id as string
    const made = async () => {
      const wf = (await post(useRoute.POST, a, { params: { greeting: 'Hi' } }, { id })).json.workflowId as string
      // The workflow's own edits: another key of the Set node (mergeable) and the Code node's source (conflicts).
      const graph = await graphOf(a, wf)
      graph.nodes[1].params.keepOtherFields = false
      graph.nodes[2].params.source = 'return items.map((i) => ({ ...i, mine: true }))'
      return { wf, version: await saveGraph(a, wf, 1, graph) }
    }
    const x = await made()
    const y = await made()
    const v2 = chain(node.manual(), greet('Hello', { added: 'by template' }), code('return items.map((i) => ({ ...i, theirs: true }))'), node.set('t', { tail: 1 }))
    await saveGraph(a, source, 1, v2)
    const bindings = [{ nodeId: 's', path: 'fields.0.value', param: 'greeting' }, { nodeId: 's', path: 'fields.1.value', param: 'count' }]
    expect((await post(versionsRoute.POST, a, { workflowId: source, changelog: 'Tail node', bindings }, { id })).status).toBe(201)
    return { id, x, y }
  }

  it('previews node by node, keeps the workflow\'s non-conflicting edit and asks about the conflict, resolved either way', async () => {
    const { id, x, y } = await setup()
    const link = (await call(linkRoute.GET, { headers: a.headers, params: { id: x.wf } })).json
    expect(link).toMatchObject({ templateId: id, version: 1, currentVersion: 2, upgradeAvailable: true, newer: [{ number: 2, changelog: 'Tail node' }] })

    const preview = await call(upgradeRoute.GET, { headers: a.headers, params: { id: x.wf }, url: `/api/workflows/${x.wf}/template/upgrade?to=2` })
    expect(preview.status, JSON.stringify(preview.json)).toBe(200)
    expect(preview.json).toMatchObject({ from: 1, to: 2, baseVersion: x.version, conflicts: ['c'] })
    const kinds = Object.fromEntries(preview.json.changes.map((c: { nodeId: string; kind: string; conflict: boolean }) => [c.nodeId, [c.kind, c.conflict]]))
    expect(kinds).toEqual({ trigger: ['unchanged', false], s: ['both-changed', false], c: ['both-changed', true], t: ['added-by-template', false] })

    const unresolved = await post(upgradeRoute.POST, a, { to: 2, baseVersion: x.version }, { id: x.wf })
    expect(unresolved.status).toBe(400)
    expect(unresolved.json.error.fields).toHaveProperty(['resolutions.c'])
    const stale = await post(upgradeRoute.POST, a, { to: 2, baseVersion: x.version - 1, resolutions: { c: 'template' } }, { id: x.wf })
    expect(stale.status).toBe(409)

    const done = await post(upgradeRoute.POST, a, { to: 2, baseVersion: x.version, resolutions: { c: 'template' } }, { id: x.wf })
    expect(done.status, JSON.stringify(done.json)).toBe(200)
    expect(done.json).toMatchObject({ id: x.wf, version: x.version + 1, templateVersion: 2 })
    const after = await graphOf(a, x.wf)
    expect(after.nodes.map((n) => n.id)).toEqual(['trigger', 's', 'c', 't'])
    expect(after.nodes[1].params.keepOtherFields).toBe(false)
    expect(after.nodes[1].params.fields.map((f: { name: string; value: unknown }) => [f.name, f.value])).toEqual([['greeting', 'Hi'], ['count', 3], ['added', 'by template']])
    expect(after.nodes[2].params.source).toContain('theirs')
    expect(after.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['trigger->s', 's->c', 'c->t'])
    expect((await call(linkRoute.GET, { headers: a.headers, params: { id: x.wf } })).json).toMatchObject({ version: 2, upgradeAvailable: false })

    const kept = await post(upgradeRoute.POST, a, { to: 2, baseVersion: y.version, resolutions: { c: 'workflow' } }, { id: y.wf })
    expect(kept.status, JSON.stringify(kept.json)).toBe(200)
    const mine = await graphOf(a, y.wf)
    expect(mine.nodes[2].params.source).toContain('mine')
    expect(mine.nodes.map((n) => n.id)).toEqual(['trigger', 's', 'c', 't'])
    expect((await post(upgradeRoute.POST, a, { to: 2, baseVersion: y.version + 1 }, { id: y.wf })).json.error.fields).toHaveProperty('to')
  })

  it('asks for what the new version adds: a parameter (its default unless given) and a credential slot', async () => {
    const source = await createWorkflow(a, chain(node.manual(), greet('Hello')))
    const id = (await publish(a, source)).json.id as string
    const wf = (await post(useRoute.POST, a, { params: { greeting: 'Hi' } }, { id })).json.workflowId as string
    const smtp = await credential(a, 'smtp', { host: 'smtp.example.com' })
    await saveGraph(a, source, 1, chain(node.manual(), greet('Hello', { sign: 'Bye' }), mail(smtp)))
    const bindings = [{ nodeId: 's', path: 'fields.0.value', param: 'greeting' }, { nodeId: 's', path: 'fields.1.value', param: 'count' }, { nodeId: 's', path: 'fields.2.value', param: 'sign' }]
    const parameters = [{ name: 'greeting' }, { name: 'count' }, { name: 'sign', required: true }]
    expect((await post(versionsRoute.POST, a, { workflowId: source, changelog: 'Signs and mails', parameters, bindings }, { id })).status).toBe(201)

    const preview = await call(upgradeRoute.GET, { headers: a.headers, params: { id: wf } })
    expect(preview.status, JSON.stringify(preview.json)).toBe(200)
    expect(preview.json.inputsNeeded.params.map((p: { name: string }) => p.name)).toEqual(['sign'])
    expect(preview.json.inputsNeeded.credentials).toEqual([{ ref: 'credential-1', kinds: ['smtp'], required: true }])
    const kinds = Object.fromEntries(preview.json.changes.map((c: { nodeId: string; kind: string }) => [c.nodeId, c.kind]))
    expect(kinds).toMatchObject({ s: 'template-changed', mail: 'added-by-template' })

    const noCredential = await post(upgradeRoute.POST, a, { to: 2, baseVersion: 1 }, { id: wf })
    expect(noCredential.status).toBe(400)
    expect(Object.keys(noCredential.json.error.fields)).toEqual(['credentials.credential-1'])
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wf } })).currentVersion).toBe(1)
    const done = await post(upgradeRoute.POST, a, { to: 2, baseVersion: 1, params: { sign: 'Ciao' }, credentials: { 'credential-1': smtp } }, { id: wf })
    expect(done.status, JSON.stringify(done.json)).toBe(200)
    const graph = await graphOf(a, wf)
    expect(graph.nodes[1].params.fields.map((f: { value: unknown }) => f.value)).toEqual(['Hi', 3, 'Ciao'])
    expect(graph.nodes[2].params.credential).toBe(smtp)
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: wf } })).templateInputs).toEqual({ params: { greeting: 'Hi', count: 3, sign: 'Ciao' }, credentials: { 'credential-1': smtp } })
  })

  it('a workflow whose template was deleted says so', async () => {
    const { id, x } = await setup()
    expect((await call(templateRoute.DELETE, { method: 'DELETE', headers: a.headers, params: { id } })).status).toBe(204)
    expect((await call(linkRoute.GET, { headers: a.headers, params: { id: x.wf } })).json).toEqual({ templateId: id, version: 1, missing: true })
    expect((await call(upgradeRoute.GET, { headers: a.headers, params: { id: x.wf } })).status).toBe(404)
  })
})

describe('template files', () => {
  it('export → import round trip: equal content; a name taken is a 409 unless renamed or added as a version', async () => {
    const smtp = await credential(a, 'smtp', { host: 'smtp.example.com' })
    const { json } = await publish(a, await createWorkflow(a, chain(node.manual(), greet('Hello'), mail(smtp))))
    const exported = await call(exportRoute.GET, { headers: a.headers, params: { id: json.id } })
    expect(exported.status).toBe(200)
    expect(exported.res.headers.get('content-disposition')).toMatch(/^attachment; filename="greeter-[0-9a-f]+\.template\.auterity\.json"/)
    expect(exported.json).toMatchObject({ format: 'auterity.template', formatVersion: 1, version: 1, changelog: 'First version' })
    expect(JSON.stringify(exported.json)).not.toContain(smtp)

    const imported = await post(importRoute.POST, b, { file: JSON.stringify(exported.json) })
    expect(imported.status, JSON.stringify(imported.json)).toBe(201)
    expect(imported.json).toMatchObject({ name: exported.json.template.name, version: 1 })
    const [original, copy] = await Promise.all([getTemplate(a, json.id), getTemplate(b, imported.json.id)])
    expect(copy.json.content).toEqual(original.json.content)

    const again = await post(importRoute.POST, b, { file: exported.json })
    expect(again.status).toBe(409)
    expect(Object.keys(again.json.error.fields)).toEqual(['name'])
    const renamed = await post(importRoute.POST, b, { file: exported.json, onConflict: 'rename' })
    expect(renamed.json.name).toBe(`${exported.json.template.name} (2)`)
    const versioned = await post(importRoute.POST, b, { file: exported.json, onConflict: 'new-version' })
    expect(versioned.json).toEqual({ id: imported.json.id, name: exported.json.template.name, version: 2 })
  })

  it.each([
    ['malformed JSON', '{"format":', 'file'],
    ['another format', { format: 'auterity.workflow', formatVersion: 1 }, 'format'],
    ['a newer format version', { format: 'auterity.template', formatVersion: 2 }, 'formatVersion'],
    ['a prototype key', '{"format":"auterity.template","formatVersion":1,"template":{"__proto__":{"x":1}}}', 'file.template.__proto__'],
  ])('refuses %s naming the field', async (_, file, field) => {
    const before = await counts()
    const res = await post(importRoute.POST, a, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(Object.keys(res.json.error.fields)[0]).toBe(field)
    expect(await counts()).toEqual(before)
  })

  it('refuses a file whose template holds a concrete credential id', async () => {
    const smtp = await credential(a, 'smtp', { host: 'smtp.example.com' })
    const { json } = await publish(a, await createWorkflow(a, chain(node.manual(), greet('Hello'), mail(smtp))))
    const file = (await call(exportRoute.GET, { headers: a.headers, params: { id: json.id } })).json
    file.template.graph.nodes[2].params.credential = smtp
    file.template.name = unique('Leaky')
    const res = await post(importRoute.POST, a, { file })
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty(['template.graph.nodes.mail.params.credential'])
  })
})

describe('tenants and roles', () => {
  it('another workspace cannot read, use, export or change a template; a viewer reads but cannot publish or use', async () => {
    const source = await createWorkflow(a, chain(node.manual(), greet('Hello')))
    const { json } = await publish(a, source)
    const id = json.id as string
    expect((await getTemplate(b, id)).status).toBe(404)
    expect((await post(useRoute.POST, b, { params: { greeting: 'x' } }, { id })).status).toBe(404)
    expect((await call(exportRoute.GET, { headers: b.headers, params: { id } })).status).toBe(404)
    expect((await post(rollbackRoute.POST, b, { version: 1 }, { id })).status).toBe(404)
    expect((await call(templateRoute.DELETE, { method: 'DELETE', headers: b.headers, params: { id } })).status).toBe(404)
    expect((await call(templates.GET, { headers: b.headers })).json.templates.map((x: { id: string }) => x.id)).not.toContain(id)
    expect((await publish(b, source)).json.error.fields).toHaveProperty('workflowId')

    const viewer = await addMember(t.db.prisma, a, 'viewer')
    expect((await getTemplate(viewer, id)).status).toBe(200)
    expect((await call(exportRoute.GET, { headers: viewer.headers, params: { id } })).status).toBe(200)
    const before = await counts()
    for (const res of [await publish(viewer, source), await post(useRoute.POST, viewer, { params: { greeting: 'x' } }, { id }), await post(rollbackRoute.POST, viewer, { version: 1 }, { id })]) {
      expect(res.status).toBe(403)
    }
    expect(await counts()).toEqual(before)
  })
})

