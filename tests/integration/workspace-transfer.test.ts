// Workspace files through the API: workspace A (workflows with history, a sub-workflow call, an error workflow,
// credentials, a template with two versions) exported and imported into B gives the same graphs and history under
// B's ids, credentials mapped by kind and name or reported, the sub-workflow call running B's copy. Name conflicts
// are refused without a resolution and each resolution does what it says; a dry run, a bad file and a forbidden
// role write nothing; tenants stay apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { workflowGraphSchema } from '../../lib/engine/graph-schema'
import { closeAppServices } from '../../lib/services/app'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call, chain, node, streamedRequest, waitForStatus } from './backbone/support'
import { createWorkflow, runWorkflow, sub, updateWorkflow } from './sub-workflows/support'
import * as credentialsRoute from '../../app/api/credentials/route'
import * as exportRoute from '../../app/api/workspace/export/route'
import * as importRoute from '../../app/api/workspace/import/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
/** The workspace exported (A), the one it is imported into (B), one that only watches (C). */
let a: SeededTenant, b: SeededTenant, c: SeededTenant
let ids: { child: string; parent: string; versioned: string; onError: string; template: string; shared: string; onlyInA: string }

type Graph = { nodes: Array<{ id: string; name: string; type: string; params: Record<string, unknown> }>; edges: unknown[]; notes: unknown[] }

const smtp = (id: string, credentialId: string) => ({ id, type: 'send-email', name: `Mail ${id}`, params: { credential: credentialId, to: 'ops@example.com' }, settings: { disabled: true } })

async function credential(tenant: SeededTenant, name: string, kind: string, data: Record<string, string>) {
  const res = await call(credentialsRoute.POST, { method: 'POST', headers: tenant.headers, body: { name, kind, data } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

async function newVersion(tenant: SeededTenant, id: string, graph: unknown, message: string) {
  const res = await updateWorkflow(tenant.headers, id, { graph, message })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
}

/** A workspace template with two versions, written as tpl-core's publish would (rows, not an API). */
async function seedTemplate(tenant: SeededTenant, name: string) {
  const graphOf = (greeting: string) => chain(node.manual(), { ...node.set('s', { greeting }), params: { fields: [{ name: 'greeting', value: greeting, type: 'auto' }], keepOtherFields: true } })
  const template = await t.db.prisma.template.create({
    data: { tenantId: tenant.tenantId, name, description: 'Says hello', category: 'productivity', tags: ['hello'], currentVersion: 2, latestVersion: 2 },
  })
  const parameters = [{ name: 'who', type: 'string', description: 'Whom to greet', required: true }]
  await t.db.prisma.templateVersion.createMany({
    data: [1, 2].map((number) => ({
      tenantId: tenant.tenantId, templateId: template.id, number, graph: workflowGraphSchema.parse(graphOf(number === 1 ? 'hi {{ $param.who }}' : 'hello {{ $param.who }}')) as object,
      parameters, credentials: [{ ref: 'mail', kinds: ['smtp'], required: true }], nodeTypes: ['manual-trigger', 'set'], changelog: number === 1 ? 'First' : 'Friendlier',
    })),
  })
  return template.id
}


const exportOf = (tenant: SeededTenant) => call(exportRoute.GET, { headers: tenant.headers, url: '/api/workspace/export' })
const importInto = (tenant: SeededTenant, body: unknown) => call(importRoute.POST, { method: 'POST', headers: tenant.headers, body })

/** What a write would change: row counts of every table an import writes. */
async function counts() {
  const p = t.db.prisma
  return Promise.all([p.workflow.count(), p.workflowVersion.count(), p.template.count(), p.templateVersion.count(), p.credential.count()])
}

/** Versions of a workflow, found by name in a workspace, oldest first. */
async function history(tenant: SeededTenant, name: string) {
  const wf = await t.db.prisma.workflow.findFirstOrThrow({ where: { tenantId: tenant.tenantId, name }, include: { versions: { orderBy: { number: 'asc' } } } })
  return { ...wf, versions: wf.versions.map((v) => ({ number: v.number, message: v.message, graph: v.graph as Graph })) }
}

/**
 * A graph with the ids of what it points at (credentials, workflows) given as names, so two workspaces' copies
 * compare; in its parsed form (an import, like a save, writes out the node settings' defaults: the same run).
 */
function normalized(saved: Graph, names: Map<string, string>) {
  const graph = workflowGraphSchema.parse(saved) as Graph
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, params: Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, typeof v === 'string' && names.has(v) ? names.get(v) : v])) })),
  }
}

beforeAll(async () => {
  t = await useTestEnv()
  ;[a, b, c] = await Promise.all([seedTenant(t.db.prisma, { name: 'Acme' }), seedTenant(t.db.prisma, { name: 'B' }), seedTenant(t.db.prisma, { name: 'C' })])
  worker = await startTestWorker(t, { subWorkflows: { maxDepth: 3, studioUrl: 'https://studio.test' } })

  const shared = await credential(a, 'Shared SMTP', 'smtp', { host: 'a.example.com', password: 'a-secret-password' })
  const onlyInA = await credential(a, 'Only in A', 'smtp', { host: 'only.example.com' })
  const child = await createWorkflow(a.headers, 'Child', chain(sub.trigger(), node.set('c1', { from: 'child v1' })))
  await newVersion(a, child, chain(sub.trigger(), node.set('c1', { from: 'child v2' })), 'Child says v2')
  const onError = await createWorkflow(a.headers, 'On error', chain(sub.errorTrigger(), node.set('e', { handled: true })))
  const parent = await createWorkflow(a.headers, 'Parent', chain(node.manual(), sub.call('child', { workflowId: child })))
  await newVersion(a, parent, chain(node.manual(), sub.call('child', { workflowId: child }), smtp('mail', shared)), 'Mail the result')
  expect((await updateWorkflow(a.headers, parent, { settings: { errorWorkflowId: onError, maxConcurrency: 4 } })).status).toBe(200)
  const versioned = await createWorkflow(a.headers, 'Versioned', chain(node.manual(), smtp('m', onlyInA)))
  await newVersion(a, versioned, chain(node.manual(), node.set('v', { n: 2 }), smtp('m', onlyInA)), 'Two')
  await newVersion(a, versioned, chain(node.manual(), node.set('v', { n: 3 }), smtp('m', onlyInA)), 'Three')
  const template = await seedTemplate(a, 'Greeter')
  await t.db.prisma.workflow.update({ where: { id: versioned }, data: { templateId: template, templateVersion: 2, templateInputs: { params: { who: 'Ada' }, credentials: { mail: onlyInA } } } })
  ids = { child, parent, versioned, onError, template, shared, onlyInA }
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

describe('export', () => {
  it('downloads every workflow with its history, every template version, credential metadata and no secret or id', async () => {
    const res = await exportOf(a)
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(res.res.headers.get('content-disposition')).toMatch(/^attachment; filename="acme\.auterity-workspace\.json"/)
    const file = res.json
    expect(file).toMatchObject({ format: 'auterity.workspace', formatVersion: 1, workspace: { name: 'Acme' } })
    expect(file.workflows.map((w: { name: string; currentVersion: number; versions: unknown[] }) => [w.name, w.currentVersion, w.versions.length])).toEqual([
      ['Child', 2, 2], ['On error', 1, 1], ['Parent', 2, 2], ['Versioned', 3, 3],
    ])
    const refOf = new Map(file.workflows.map((w: { name: string; ref: string }) => [w.name, w.ref]))
    const parent = file.workflows[2]
    expect(parent.versions.map((v: { message: string }) => v.message)).toEqual(['', 'Mail the result'])
    expect(parent.versions[1].graph.nodes[1].params.workflowId).toBe(refOf.get('Child'))
    expect(parent.versions[1].graph.nodes[2].params.credential).toEqual({ $credentialRef: 'credential-1' })
    expect(parent.settings).toEqual({ errorWorkflowId: refOf.get('On error'), maxConcurrency: 4 })
    expect(file.workflows[3]).toMatchObject({ templateId: file.templates[0].ref, templateVersion: 2 })
    expect(file.workflows[3]).not.toHaveProperty('templateInputs')
    expect(file.templates).toHaveLength(1)
    expect(file.templates[0]).toMatchObject({ name: 'Greeter', category: 'productivity', tags: ['hello'], currentVersion: 2 })
    expect(file.templates[0].versions.map((v: { number: number; changelog: string }) => [v.number, v.changelog])).toEqual([[1, 'First'], [2, 'Friendlier']])
    expect(file.credentials).toEqual([{ ref: 'credential-1', name: 'Shared SMTP', kind: 'smtp' }, { ref: 'credential-2', name: 'Only in A', kind: 'smtp' }])
    const text = JSON.stringify(file)
    for (const secret of [...Object.values(ids), 'a-secret-password', 'a.example.com', a.tenantId]) expect(text).not.toContain(secret)
    expect(text).not.toContain('"executions"')
  })

  it('pages through a big workspace: more workflows than a page, more versions than a page, all in order', async () => {
    const d = await seedTenant(t.db.prisma, { name: 'Big' })
    const graph = workflowGraphSchema.parse(chain(node.manual())) as object
    const rows = Array.from({ length: 105 }, (_, i) => ({ tenantId: d.tenantId, name: `W${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }))
    await t.db.prisma.workflow.createMany({ data: rows })
    const ids = await t.db.prisma.workflow.findMany({ where: { tenantId: d.tenantId }, orderBy: { createdAt: 'asc' }, select: { id: true } })
    await t.db.prisma.workflowVersion.createMany({ data: ids.map(({ id }) => ({ tenantId: d.tenantId, workflowId: id, number: 1, graph })) })
    const long = ids[104].id
    await t.db.prisma.workflowVersion.createMany({ data: Array.from({ length: 44 }, (_, i) => ({ tenantId: d.tenantId, workflowId: long, number: i + 2, graph, message: `v${i + 2}` })) })
    await t.db.prisma.workflow.update({ where: { id: long }, data: { currentVersion: 45 } })

    const file = (await exportOf(d)).json
    expect(file.workflows.map((w: { name: string }) => w.name)).toEqual(rows.map((r) => r.name))
    expect(file.workflows[104].versions.map((v: { number: number }) => v.number)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1))
    expect(file.workflows[104].versions[44].message).toBe('v45')
  })

  it('is for admins: an editor and a viewer are refused', async () => {
    for (const role of ['editor', 'viewer'] as const) {
      const res = await exportOf(await addMember(t.db.prisma, a, role))
      expect(res.status).toBe(403)
      expect(res.json.error.code).toBe('FORBIDDEN')
    }
  })
})

describe('import into another workspace', () => {
  let file: any
  let bShared: string

  beforeAll(async () => {
    file = (await exportOf(a)).json
    bShared = await credential(b, 'Shared SMTP', 'smtp', { host: 'b.example.com' })
    await credential(b, 'Only in A', 'bearer', { token: 'same name, another kind' })
  })

  it('a dry run reports what would be created and mapped, and writes nothing', async () => {
    const before = await counts()
    const res = await importInto(b, { file, dryRun: true })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    const report = res.json
    expect(report.dryRun).toBe(true)
    expect(report.workflows.map((w: { as: string; action: string; id: string | null; versions: number }) => [w.as, w.action, w.id, w.versions])).toEqual([
      ['Child', 'create', null, 2], ['On error', 'create', null, 1], ['Parent', 'create', null, 2], ['Versioned', 'create', null, 3],
    ])
    expect(report.templates).toMatchObject([{ as: 'Greeter', action: 'create', versions: 2 }])
    expect(report.conflicts).toEqual([])
    expect(report.credentials).toEqual([
      { ref: 'credential-1', name: 'Shared SMTP', kind: 'smtp', status: 'mapped', credentialId: bShared, usedBy: [{ workflow: 'Parent', nodes: ['Mail mail'] }] },
      { ref: 'credential-2', name: 'Only in A', kind: 'smtp', status: 'missing', reason: 'not-found', usedBy: [{ workflow: 'Versioned', nodes: ['Mail m'] }] },
    ])
    expect(report.missingWorkflows).toEqual([])
    expect(report.droppedSettings).toEqual([])
    expect(await counts()).toEqual(before)
  })

  it('creates every workflow inactive with its history and template, ids remapped, and the sub-workflow call runs B\'s copy', async () => {
    const res = await importInto(b, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const created = Object.fromEntries(res.json.workflows.map((w: { as: string; id: string }) => [w.as, w.id]))
    expect(Object.keys(created)).toEqual(['Child', 'On error', 'Parent', 'Versioned'])

    // Graphs and history equal once the ids they point at are named.
    const namesA = new Map([[ids.child, 'Child'], [ids.shared, 'Shared SMTP'], [ids.onlyInA, 'Only in A']])
    const namesB = new Map([[created.Child, 'Child'], [bShared, 'Shared SMTP']])
    for (const name of ['Child', 'On error', 'Parent', 'Versioned']) {
      const [inA, inB] = await Promise.all([history(a, name), history(b, name)])
      expect(inB).toMatchObject({ id: created[name], tenantId: b.tenantId, active: false, currentVersion: inA.currentVersion })
      expect(inB.versions.map((v) => [v.number, v.message])).toEqual(inA.versions.map((v) => [v.number, v.message]))
      const dropMissing = (g: Graph) => ({ ...g, nodes: g.nodes.map((n) => (n.params.credential === 'Only in A' ? { ...n, params: { to: n.params.to } } : n)) })
      expect(inB.versions.map((v) => normalized(v.graph, namesB))).toEqual(inA.versions.map((v) => dropMissing(normalized(v.graph, namesA))))
    }
    const parent = await history(b, 'Parent')
    expect(parent.versions[1].graph.nodes[1].params.workflowId).toBe(created.Child)
    expect(parent.versions[1].graph.nodes[2].params.credential).toBe(bShared)
    expect(parent.settings).toEqual({ errorWorkflowId: created['On error'], maxConcurrency: 4 })
    expect((await history(b, 'Versioned')).versions[2].graph.nodes[2].params).not.toHaveProperty('credential')

    const template = await t.db.prisma.template.findFirstOrThrow({ where: { tenantId: b.tenantId, name: 'Greeter' }, include: { versions: { orderBy: { number: 'asc' } } } })
    const original = await t.db.prisma.templateVersion.findMany({ where: { templateId: ids.template }, orderBy: { number: 'asc' } })
    expect(res.json.templates[0].id).toBe(template.id)
    expect(template).toMatchObject({ currentVersion: 2, latestVersion: 2, category: 'productivity', tags: ['hello'] })
    const content = (v: (typeof original)[number]) => [v.number, workflowGraphSchema.parse(v.graph), v.parameters, v.credentials, v.testCases, v.nodeTypes, v.changelog]
    expect(template.versions.map(content)).toEqual(original.map(content))
    expect(template.versions.every((v) => v.tenantId === b.tenantId)).toBe(true)
    expect(await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: created.Versioned } })).toMatchObject({ templateId: template.id, templateVersion: 2, templateInputs: null })

    const executionId = await runWorkflow(b.headers, created.Parent)
    const row = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'])
    expect(row.status, JSON.stringify(row.error)).toBe('succeeded')
    const call = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 'child' } })
    expect(call.output).toMatchObject({ main: [{ from: 'child v2' }] })
    const childRun = await t.db.prisma.execution.findFirstOrThrow({ where: { parentExecutionId: executionId } })
    expect(childRun).toMatchObject({ workflowId: created.Child, tenantId: b.tenantId })
  })

  it('refuses conflicting names without a resolution (409 listing them), writing nothing', async () => {
    const before = await counts()
    const res = await importInto(b, { file, resolutions: { workflows: { Child: 'skip' } } })
    expect(res.status, JSON.stringify(res.json)).toBe(409)
    expect(res.json.error.message).toBe('Name conflicts need a resolution (skip, rename or replace): workflow "On error", workflow "Parent", workflow "Versioned", template "Greeter"')
    expect(res.json.error.details.conflicts.map((c: { type: string; name: string; choices: string[] }) => [c.type, c.name, c.choices])).toEqual([
      ['workflow', 'On error', ['skip', 'rename', 'replace']], ['workflow', 'Parent', ['skip', 'rename', 'replace']],
      ['workflow', 'Versioned', ['skip', 'rename', 'replace']], ['template', 'Greeter', ['skip', 'rename', 'replace']],
    ])
    const dry = await importInto(b, { file, dryRun: true })
    expect(dry.json.conflicts).toHaveLength(5)
    expect(dry.json.workflows.every((w: { action: string }) => w.action === 'conflict')).toBe(true)
    expect(dry.json.missingWorkflows).toEqual([])
    expect(dry.json.credentials.map((x: { usedBy: unknown[] }) => x.usedBy.length)).toEqual([1, 1])
    expect(await counts()).toEqual(before)
  })

  it('a name taken between the plan and the writes is a 409 and writes nothing (not a 500)', async () => {
    const d = await seedTenant(t.db.prisma, { name: 'Racy' })
    // Stands in for another request saving a template named "Greeter" in D while the import runs.
    await t.db.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION racy_template() RETURNS trigger AS $$ BEGIN
      IF NEW."tenantId" = '${d.tenantId}' AND NEW."id" NOT LIKE 'racy-%' THEN
        INSERT INTO "Template" ("id", "tenantId", "name", "category", "updatedAt") VALUES ('racy-' || NEW."id", NEW."tenantId", NEW."name", 'other', now());
      END IF; RETURN NEW; END $$ LANGUAGE plpgsql`)
    await t.db.prisma.$executeRawUnsafe('CREATE TRIGGER racy_template BEFORE INSERT ON "Template" FOR EACH ROW EXECUTE FUNCTION racy_template()')
    try {
      const before = await counts()
      const res = await importInto(d, { file })
      expect(res.status, JSON.stringify(res.json)).toBe(409)
      expect(res.json.error.message).toMatch(/^The workspace changed while importing/)
      expect(await counts()).toEqual(before)
    } finally {
      await t.db.prisma.$executeRawUnsafe('DROP TRIGGER racy_template ON "Template"')
      await t.db.prisma.$executeRawUnsafe('DROP FUNCTION racy_template()')
    }
  })

  it('skip keeps B\'s own (calls go to it), rename adds " (2)", replace appends the file\'s versions to B\'s history', async () => {
    const own = await history(b, 'Versioned')
    const ownChild = (await history(b, 'Child')).id
    const ownTemplate = await t.db.prisma.template.findFirstOrThrow({ where: { tenantId: b.tenantId, name: 'Greeter' } })
    const res = await importInto(b, {
      file,
      resolutions: { workflows: { Child: 'skip', 'On error': 'skip', Parent: 'rename', Versioned: 'replace' }, templates: { Greeter: 'replace' } },
    })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    expect(res.json.workflows.map((w: { as: string; action: string }) => [w.as, w.action])).toEqual([
      ['Child', 'skip'], ['On error', 'skip'], ['Parent (2)', 'rename'], ['Versioned', 'replace'],
    ])
    expect(await t.db.prisma.workflow.count({ where: { tenantId: b.tenantId, name: 'Child' } })).toBe(1)

    const renamed = await history(b, 'Parent (2)')
    expect(renamed.versions.map((v) => v.message)).toEqual(['', 'Mail the result'])
    expect(renamed.versions[1].graph.nodes[1].params.workflowId).toBe(ownChild)

    const replaced = await history(b, 'Versioned')
    expect(replaced.id).toBe(own.id)
    expect(replaced.currentVersion).toBe(6)
    expect(replaced.versions.map((v) => [v.number, v.message])).toEqual([...own.versions.map((v) => [v.number, v.message]), [4, 'Imported: (no message)'], [5, 'Imported: Two'], [6, 'Imported: Three']])
    expect(replaced.versions.slice(3).map((v) => v.graph)).toEqual(own.versions.map((v) => v.graph))
    // Its template link follows the template's replace: the file's version 2 is now version 4 of B's Greeter.
    expect(replaced).toMatchObject({ templateId: ownTemplate.id, templateVersion: 4 })

    const template = await t.db.prisma.template.findUniqueOrThrow({ where: { id: ownTemplate.id }, include: { versions: { orderBy: { number: 'asc' } } } })
    expect(template).toMatchObject({ currentVersion: 4, latestVersion: 4 })
    expect(template.versions.map((v) => [v.number, v.changelog])).toEqual([[1, 'First'], [2, 'Friendlier'], [3, 'First'], [4, 'Friendlier']])
    expect(await t.db.prisma.template.count({ where: { tenantId: b.tenantId } })).toBe(1)
  })

  it('refuses a resolution that names no conflict, or replace where names are ambiguous', async () => {
    const before = await counts()
    const unknown = await importInto(b, { file, dryRun: true, resolutions: { workflows: { Nope: 'skip' } } })
    expect(unknown.status).toBe(400)
    expect(unknown.json.error.fields).toEqual({ 'resolutions.workflows.Nope': 'no workflow named "Nope" in the file has a namesake in this workspace' })
    // B now has "Parent" and "Parent (2)"; the file lists two workflows named "Parent".
    const twice = structuredClone(file)
    twice.workflows[1].name = 'Parent'
    const ambiguous = await importInto(b, { file: twice, resolutions: { workflows: { Parent: 'replace' } } })
    expect(ambiguous.status).toBe(400)
    expect(ambiguous.json.error.fields).toEqual({ 'resolutions.workflows.Parent': '"Parent" names several workflows here or in the file: choose skip or rename' })
    expect(await counts()).toEqual(before)
  })
})

describe('tenants apart', () => {
  it('imports into C with C\'s ids only: no credential of A or B is mapped, nothing of C is in A\'s export', async () => {
    const file = (await exportOf(a)).json
    const res = await importInto(c, { file })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    expect(res.json.credentials.map((x: { status: string }) => x.status)).toEqual(['missing', 'missing'])
    const rows = await t.db.prisma.workflow.findMany({ where: { id: { in: res.json.workflows.map((w: { id: string }) => w.id) } } })
    expect(rows.map((r) => r.tenantId)).toEqual([c.tenantId, c.tenantId, c.tenantId, c.tenantId])
    const parent = await history(c, 'Parent')
    expect(parent.versions[1].graph.nodes[1].params.workflowId).toBe((await history(c, 'Child')).id)

    const ofB = (await exportOf(b)).json
    expect(ofB.credentials).toEqual([{ ref: 'credential-1', name: 'Shared SMTP', kind: 'smtp' }, { ref: 'credential-2', name: 'Only in A', kind: 'bearer' }])
    expect(ofB.workflows.map((w: { name: string }) => w.name)).toEqual(['Child', 'On error', 'Parent', 'Versioned', 'Parent (2)'])
    const ofA = (await exportOf(a)).json
    expect(ofA.workflows.map((w: { name: string }) => w.name)).toEqual(['Child', 'On error', 'Parent', 'Versioned'])
    expect(ofA.templates).toHaveLength(1)
  })
})

describe('references that cannot be kept', () => {
  it('reports a call to a workflow skipped where two of its name exist, in the dry run', async () => {
    const file = (await exportOf(a)).json
    await createWorkflow(c.headers, 'Child', chain(sub.trigger()))
    const childRef = file.workflows.find((w: { name: string }) => w.name === 'Child').ref
    const before = await counts()
    const res = await importInto(c, {
      file,
      dryRun: true,
      resolutions: { workflows: { Child: 'skip', 'On error': 'skip', Parent: 'rename', Versioned: 'skip' }, templates: { Greeter: 'skip' } },
    })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(res.json.conflicts.find((x: { name: string }) => x.name === 'Child').choices).toEqual(['skip', 'rename'])
    expect(res.json.missingWorkflows).toEqual([{ workflow: 'Parent (2)', workflowId: childRef, nodes: [{ id: 'child', name: 'Call child' }] }])
    expect(await counts()).toEqual(before)
  })
})

describe('bad input changes nothing', () => {
  const good = () => ({ format: 'auterity.workspace', formatVersion: 1, workspace: { name: 'W' }, workflows: [], templates: [], credentials: [] })

  it.each([
    ['a wrong format version', { file: { ...good(), formatVersion: 2 } }, 'formatVersion', /must be 1 \(got 2\)/],
    ['a single workflow file', { file: { ...good(), format: 'auterity.workflow' } }, 'format', /this is not an exported Auterity workspace/],
    ['malformed JSON text', { file: '{"format": "auterity.workspace", "workflows": [' }, 'file', /not valid JSON/],
    ['an unknown resolution', { file: good(), resolutions: { workflows: { X: 'merge' } } }, 'resolutions.workflows.X', /./],
    ['no file', { dryRun: true }, 'file', /file is required/],
  ])('%s: 400 naming the field', async (_what, body, field, message) => {
    const before = await counts()
    const res = await importInto(b, body)
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(Object.keys(res.json.error.fields)[0]).toBe(field)
    expect(res.json.error.message).toMatch(message)
    expect(await counts()).toEqual(before)
  })

  it('refuses __proto__ in the file or the resolutions, Object.prototype untouched', async () => {
    const before = await counts()
    for (const [text, field] of [
      ['{"file":{"format":"auterity.workspace","formatVersion":1,"workspace":{"name":"W"},"workflows":[{"__proto__":{"polluted":true}}]}}', 'file.workflows.0.__proto__'],
      ['{"file":{"format":"auterity.workspace","formatVersion":1,"workspace":{"name":"W"}},"resolutions":{"workflows":{"__proto__":"skip"}}}', 'resolutions.workflows.__proto__'],
    ]) {
      const res = await importInto(b, text)
      expect(res.status, JSON.stringify(res.json)).toBe(400)
      expect(Object.keys(res.json.error.fields)).toEqual([field])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }
    expect(await counts()).toEqual(before)
  })

  it('refuses a body over 101 MB with 413, from its declared length or after reading no more than the limit', async () => {
    const before = await counts()
    const TOO_BIG = 102 * 1024 * 1024
    const declared = await importRoute.POST(streamedRequest('/api/workspace/import', TOO_BIG, b.headers, true).req, { params: Promise.resolve({}) })
    expect(declared.status).toBe(413)
    const body = streamedRequest('/api/workspace/import', TOO_BIG, b.headers)
    const cut = await importRoute.POST(body.req, { params: Promise.resolve({}) })
    expect(cut.status).toBe(413)
    expect((await cut.json()).error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(body.sent()).toBeLessThan(102 * 1024 * 1024)
    expect(await counts()).toEqual(before)
  })

  it('is for admins: an editor and a viewer cannot import, even a dry run', async () => {
    const file = (await exportOf(a)).json
    const before = await counts()
    for (const role of ['editor', 'viewer'] as const) {
      const res = await importInto(await addMember(t.db.prisma, b, role), { file, dryRun: true })
      expect(res.status).toBe(403)
    }
    expect(await counts()).toEqual(before)
  })
})
