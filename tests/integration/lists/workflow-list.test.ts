// The workflow list through its routes: search by name (case-insensitive), tags and the tag filter, folders (deleting
// one keeps its workflows), sort, bulk activate/deactivate/delete/move with per-workflow outcomes, bulk export in the
// single export's format; bad input names the field, viewers read and cannot change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppServices } from '../../../lib/services/app'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as tagsRoute from '../../../app/api/workflows/tags/route'
import * as workflowTags from '../../../app/api/workflows/[id]/tags/route'
import * as bulk from '../../../app/api/workflows/bulk/route'
import * as exportMany from '../../../app/api/workflows/export/route'
import * as exportOne from '../../../app/api/workflows/[id]/export/route'
import * as folders from '../../../app/api/workflow-folders/route'
import * as folder from '../../../app/api/workflow-folders/[id]/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let viewer: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'Lists' })
  viewer = await addMember(t.db.prisma, a, 'viewer')
})
afterAll(async () => {
  await closeAppServices()
  await t?.teardown()
})

async function create(name: string, graph: unknown = chain(node.manual(), node.set('s', { v: 1 }))) {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name, graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

const list = async (query = '', who = a) => {
  const res = await call(workflows.GET, { headers: who.headers, url: `/api/workflows${query}` })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
  return res.json.workflows as Array<{ id: string; name: string; tags: string[]; folderId: string | null; folderName: string | null; active: boolean }>
}
const names = async (query = '') => (await list(query)).map((w) => w.name)
const setTags = (id: string, tags: unknown, who = a) => call(workflowTags.PUT, { method: 'PUT', headers: who.headers, params: { id }, body: { tags } })
const doBulk = (body: unknown, who = a) => call(bulk.POST, { method: 'POST', headers: who.headers, body })
const newFolder = async (name: string) => {
  const res = await call(folders.POST, { method: 'POST', headers: a.headers, body: { name } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

describe('search, tags and sort', () => {
  let invoices: string, leads: string, report: string
  beforeAll(async () => {
    invoices = await create('Sync Invoices')
    leads = await create('Import leads 50%')
    report = await create('Weekly report')
  })

  it('searches names server-side, whatever the case, with % and _ taken literally', async () => {
    expect(await names('?q=INVOICE')).toEqual(['Sync Invoices'])
    expect(await names('?q=50%25')).toEqual(['Import leads 50%'])
    expect(await names('?q=_')).toEqual([])
    expect(await names('?q=nothing-like-this')).toEqual([])
  })

  it('tags a workflow (trimmed, one spelling per tag) and filters by tag', async () => {
    const res = await setTags(invoices, [' finance ', 'Billing', 'billing'])
    expect(res.status).toBe(200)
    expect(res.json.tags).toEqual(['finance', 'Billing'])
    expect((await setTags(report, ['finance'])).status).toBe(200)
    expect(await names('?tag=finance&sort=name')).toEqual(['Sync Invoices', 'Weekly report'])
    expect(await names('?tag=finance&q=weekly')).toEqual(['Weekly report'])
    const tags = await call(tagsRoute.GET, { headers: viewer.headers })
    expect(tags.json.tags).toEqual([{ tag: 'finance', count: 2 }, { tag: 'Billing', count: 1 }])
    // Removing one: the list is the whole set.
    expect((await setTags(report, [])).json.tags).toEqual([])
    expect(await names('?tag=finance')).toEqual(['Sync Invoices'])
  })

  it('refuses bad tags naming the field, and a viewer', async () => {
    const long = await setTags(invoices, ['x'.repeat(41)])
    expect(long.status).toBe(400)
    expect(Object.keys(long.json.error.fields)).toEqual(['tags.0'])
    expect((await setTags(invoices, ['a,b'])).json.error.fields['tags.0']).toMatch(/commas/)
    expect((await setTags(invoices, 'finance')).json.error.fields).toHaveProperty('tags')
    expect((await setTags(invoices, ['x'], viewer)).status).toBe(403)
  })

  it('tagging does not count as an update: "last updated" still means the last save', async () => {
    const before = (await list()).map((w) => w.id)
    await setTags(invoices, ['finance', 'later'])
    expect((await list()).map((w) => w.id)).toEqual(before)
  })

  it('sorts by name, created and last updated, either way', async () => {
    const ours = (ws: string[]) => ws.filter((n) => ['Sync Invoices', 'Import leads 50%', 'Weekly report'].includes(n))
    expect(ours(await names('?sort=name'))).toEqual(['Import leads 50%', 'Sync Invoices', 'Weekly report'])
    expect(ours(await names('?sort=name&order=desc'))).toEqual(['Weekly report', 'Sync Invoices', 'Import leads 50%'])
    expect(ours(await names('?sort=created'))).toEqual(['Weekly report', 'Import leads 50%', 'Sync Invoices'])
    expect(ours(await names('?sort=created&order=asc'))).toEqual(['Sync Invoices', 'Import leads 50%', 'Weekly report'])
    expect((await list('?sort=updated'))[0].id).toBe(report)
    expect(leads).toBeTruthy()
    const bad = await call(workflows.GET, { headers: a.headers, url: '/api/workflows?sort=size' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.fields).toHaveProperty('sort')
  })
})

describe('folders', () => {
  it('creates, renames, browses, moves into and deletes a folder; its workflows go back to the top, never away', async () => {
    const inbox = await newFolder('Inbox')
    const dup = await call(folders.POST, { method: 'POST', headers: a.headers, body: { name: 'inbox' } })
    expect(dup.status).toBe(409)
    expect(dup.json.error.fields).toHaveProperty('name')
    const empty = await call(folders.POST, { method: 'POST', headers: a.headers, body: { name: '  ' } })
    expect(empty.status).toBe(400)
    expect(empty.json.error.fields).toHaveProperty('name')
    expect((await call(folders.POST, { method: 'POST', headers: viewer.headers, body: { name: 'Nope' } })).status).toBe(403)

    const one = await create('Folder one')
    const two = await create('Folder two')
    const moved = await doBulk({ action: 'move', ids: [one, two], folderId: inbox })
    expect(moved.status).toBe(200)
    expect(moved.json.succeeded).toBe(2)
    expect(await names(`?folder=${inbox}&sort=name`)).toEqual(['Folder one', 'Folder two'])
    expect(await names('?folder=root')).not.toContain('Folder one')
    expect((await list('?q=folder one'))[0]).toMatchObject({ folderId: inbox, folderName: 'Inbox' })

    const renamed = await call(folder.PUT, { method: 'PUT', headers: a.headers, params: { id: inbox }, body: { name: 'Archive' } })
    expect(renamed.status).toBe(200)
    const listed = await call(folders.GET, { headers: viewer.headers })
    expect(listed.json.folders).toEqual([expect.objectContaining({ id: inbox, name: 'Archive', workflowCount: 2 })])

    // Back to the top with a move to null, then the delete takes the other one there.
    expect((await doBulk({ action: 'move', ids: [one], folderId: null })).json.succeeded).toBe(1)
    const deleted = await call(folder.DELETE, { method: 'DELETE', headers: a.headers, params: { id: inbox } })
    expect(deleted.status).toBe(200)
    expect(deleted.json.movedToTop).toBe(1)
    const top = await names('?folder=root')
    expect(top).toEqual(expect.arrayContaining(['Folder one', 'Folder two']))
    expect(await t.db.prisma.workflow.count({ where: { id: { in: [one, two] } } })).toBe(2)
    expect((await call(workflows.GET, { headers: a.headers, url: `/api/workflows?folder=${inbox}` })).status).toBe(404)
    expect((await call(folder.DELETE, { method: 'DELETE', headers: a.headers, params: { id: inbox } })).status).toBe(404)
  })

  it('moving into a folder that does not exist is a 404 and moves nothing', async () => {
    const id = await create('Stays put')
    const res = await doBulk({ action: 'move', ids: [id], folderId: 'no-such-folder' })
    expect(res.status).toBe(404)
    expect((await list('?q=stays put'))[0].folderId).toBeNull()
  })
})

describe('bulk actions', () => {
  const hook = (path: string) => chain(node.webhook(path), node.set('s', { v: 1 }))

  it('activates each workflow that can go live and says why the others cannot', async () => {
    const good = await create('Bulk hook', hook(`bulk-${Date.now()}`))
    const manualOnly = await create('Bulk manual')
    const broken = { ...hook(`broken-${Date.now()}`), nodes: [...hook('x').nodes.slice(0, 1).map((n) => ({ ...n, id: 'h2', params: { ...n.params, path: `broken-${Date.now()}` } })), { id: 'lonely', type: 'set', name: 'Lonely', params: { fields: [] }, position: { x: 0, y: 300 } }] }
    const withProblems = await create('Bulk broken', broken)
    const res = await doBulk({ action: 'activate', ids: [good, manualOnly, withProblems, 'missing-id'] })
    expect(res.status).toBe(200)
    expect(res.json.succeeded).toBe(1)
    const byId = new Map(res.json.results.map((r: { id: string }) => [r.id, r]))
    expect(byId.get(good)).toMatchObject({ ok: true, name: 'Bulk hook' })
    expect(byId.get(manualOnly)).toMatchObject({ ok: false, name: 'Bulk manual', error: { code: 'NOTHING_TO_ACTIVATE' } })
    expect(byId.get(withProblems)).toMatchObject({ ok: false, name: 'Bulk broken' })
    expect((byId.get(withProblems) as { error: { message: string } }).error.message).toBeTruthy()
    expect(byId.get('missing-id')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const states = await t.db.prisma.workflow.findMany({ where: { id: { in: [good, manualOnly, withProblems] } }, select: { id: true, active: true } })
    expect(Object.fromEntries(states.map((s) => [s.id, s.active]))).toEqual({ [good]: true, [manualOnly]: false, [withProblems]: false })

    const off = await doBulk({ action: 'deactivate', ids: [good, manualOnly] })
    expect(off.json.succeeded).toBe(2)
    expect((await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: good } })).active).toBe(false)
    expect(await t.db.prisma.webhookTrigger.count({ where: { workflowId: good } })).toBe(0)
  })

  it('deletes the selected workflows and nothing else', async () => {
    const x = await create('Bulk delete x')
    const y = await create('Bulk delete y')
    const z = await create('Bulk delete z')
    expect((await doBulk({ action: 'delete', ids: [x, y] }, viewer)).status).toBe(403)
    const res = await doBulk({ action: 'delete', ids: [x, y] })
    expect(res.json).toMatchObject({ action: 'delete', succeeded: 2, failed: 0 })
    expect((await t.db.prisma.workflow.findMany({ where: { id: { in: [x, y, z] } }, select: { id: true } })).map((w) => w.id)).toEqual([z])
  })

  it('refuses bad bodies naming the field', async () => {
    expect((await doBulk({ action: 'explode', ids: ['a'] })).json.error.fields).toHaveProperty('action')
    expect((await doBulk({ action: 'delete', ids: [] })).json.error.fields).toHaveProperty('ids')
    expect((await doBulk({ action: 'delete', ids: Array.from({ length: 201 }, (_, i) => `w${i}`) })).json.error.fields).toHaveProperty('ids')
    expect((await doBulk({ action: 'move', ids: ['a'] })).json.error.fields).toHaveProperty('folderId')
  })

  it('exports the selected workflows in one file, each in the single export’s format', async () => {
    const p = await create('Export p')
    const q = await create('Export q', chain(node.manual(), node.set('other', { w: 2 })))
    const res = await call(exportMany.GET, { headers: viewer.headers, url: `/api/workflows/export?ids=${p},${q}` })
    expect(res.status).toBe(200)
    expect(res.res.headers.get('content-disposition')).toMatch(/attachment; filename="workflows-\d{4}-\d{2}-\d{2}\.auterity\.json"/)
    expect(res.json).toMatchObject({ format: 'auterity.workflows', formatVersion: 1 })
    expect(res.json.workflows.map((w: { workflow: { name: string } }) => w.workflow.name)).toEqual(['Export p', 'Export q'])
    const single = await call(exportOne.GET, { headers: viewer.headers, params: { id: q }, url: `/api/workflows/${q}/export` })
    const { exportedAt: _a, ...fromBulk } = res.json.workflows[1]
    const { exportedAt: _b, ...alone } = single.json
    expect(fromBulk).toEqual(alone)
    const missing = await call(exportMany.GET, { headers: viewer.headers, url: `/api/workflows/export?ids=${p},nope` })
    expect(missing.status).toBe(404)
    expect(missing.json.error.fields).toHaveProperty('ids')
    expect((await call(exportMany.GET, { headers: viewer.headers, url: '/api/workflows/export' })).json.error.fields).toHaveProperty('ids')
  })
})
