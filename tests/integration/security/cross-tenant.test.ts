// Workspace isolation by id: the owner of workspace A, calling every route that names a row with workspace B's ids
// (workflow, workflow folder, version, execution, step items, credential, template, collection, event, delivery, file, message,
// campaign, AI model, deployment, budget, evaluation, fine-tune, audit entry, member, API key, invite), gets 404 — never 403, which would
// confirm the row exists, and never 200 — and B's rows are unchanged afterwards. A's lists (AI usage among them)
// never show B's ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { closeAppServices } from '../../../lib/services/app'
import { addCaller, AUTHED_ROUTES, callRoute, handlerOf, seedResources, snapshot, type Caller, type Resources } from './fixtures'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: Resources
let b: Resources
let owner: Caller

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_RATE_API: '1000000' })
  const ta = await seedTenant(t.db.prisma, { name: 'A' })
  const tb = await seedTenant(t.db.prisma, { name: 'B' })
  a = await seedResources(t.db.prisma, ta.tenantId)
  b = await seedResources(t.db.prisma, tb.tenantId)
  owner = await addCaller(t.db.prisma, ta.tenantId, 'owner')
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

const byId = AUTHED_ROUTES.filter((r) => r.path.includes('['))
const lists = AUTHED_ROUTES.filter((r) => !r.path.includes('[') && r.method === 'GET')

// Hundreds of in-process calls: seconds on an idle machine, a minute or more on a loaded 2-core one.
describe('workspace A using workspace B’s ids', { timeout: 240_000 }, () => {
  it('gets 404 from every route naming one of B’s rows, by cookie and by key, and B is unchanged', async () => {
    const before = await snapshot(t.db.prisma, b.tenantId)
    const wrong: string[] = []
    // Reads and changes alike; deletes last so nothing else is answered by a row an earlier call may have removed.
    const order = [...byId].sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'))
    for (const route of order) {
      const handler = await handlerOf(route)
      for (const [via, headers] of [['session', owner.session], ['key', owner.key]] as const) {
        if (via === 'key' && route.sessionOnly) continue // refuses every key (role matrix)
        const { status, json } = await callRoute(handler, route, b, headers)
        if (status !== 404) wrong.push(`${route.method} ${route.path} by ${via}: ${status} ${JSON.stringify(json).slice(0, 160)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(await snapshot(t.db.prisma, b.tenantId)).toBe(before)
  })

  it('finds its own rows by the same routes (the 404s above are not a broken fixture)', async () => {
    const reads = byId.filter((r) => r.method === 'GET' && !r.path.includes('/api/ai/fine-tunes'))
    const missing: string[] = []
    for (const route of reads) {
      const { status } = await callRoute(await handlerOf(route), route, a, owner.key)
      if (status === 404) missing.push(`${route.method} ${route.path}`)
    }
    // Rows the fixture cannot make whole enough to be read (a file with no stored bytes, step items of a run that
    // never ran, a document never ingested) answer 404 for their own workspace too; everything else is found.
    expect(missing.filter((r) => !/files|steps|chunks|workflows\/\[id\]\/template|messages$/.test(r))).toEqual([])
  })

  it('changes its own member, API key and invite by the same ids (the 404s above are not ids that match nothing)', async () => {
    const own = AUTHED_ROUTES.filter((r) => ['PATCH /api/members/[userId]', 'DELETE /api/api-keys/[id]', 'DELETE /api/invites/[id]'].includes(`${r.method} ${r.path}`))
    expect(own).toHaveLength(3)
    for (const route of own) {
      const { status, json } = await callRoute(await handlerOf(route), route, a, owner.session)
      expect(status, `${route.method} ${route.path}: ${JSON.stringify(json)}`).toBeLessThan(300)
    }
    expect((await t.db.prisma.membership.findFirstOrThrow({ where: { tenantId: a.tenantId, userId: a.memberId } })).role).toBe('viewer')
    expect((await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: a.apiKeyId } })).revokedAt).not.toBeNull()
    expect((await t.db.prisma.invite.findUniqueOrThrow({ where: { id: a.inviteId } })).revokedAt).not.toBeNull()
  })

  it('cannot reach B’s workflows, folders or runs through the bulk routes and the list’s filters', async () => {
    const before = await snapshot(t.db.prisma, b.tenantId)
    const ownBefore = await snapshot(t.db.prisma, a.tenantId)
    const post = async (path: string, body: unknown) => {
      const route = AUTHED_ROUTES.find((r) => r.path === path && r.method === 'POST')!
      return callRoute(await handlerOf(route), route, a, owner.session, body)
    }
    const get = async (path: string, query: string) => {
      const route = AUTHED_ROUTES.find((r) => r.path === path && r.method === 'GET')!
      const res = await (await handlerOf(route))(new Request(`http://localhost${path}${query}`, { headers: owner.key }), { params: Promise.resolve({}) })
      return { status: res.status, text: await res.text() }
    }
    for (const action of ['activate', 'deactivate', 'delete'] as const) {
      const { status, json } = await post('/api/workflows/bulk', { action, ids: [b.workflowId] })
      expect(status).toBe(200)
      expect(json.results).toEqual([{ id: b.workflowId, name: null, ok: false, error: { code: 'NOT_FOUND', message: 'Workflow not found' } }])
    }
    // B's workflow into A's folder, and A's workflow into B's folder.
    expect((await post('/api/workflows/bulk', { action: 'move', ids: [b.workflowId], folderId: a.folderId })).json.results[0].ok).toBe(false)
    expect((await post('/api/workflows/bulk', { action: 'move', ids: [a.workflowId], folderId: b.folderId })).status).toBe(404)
    expect((await post('/api/workflows/bulk', { action: 'move', ids: [b.workflowId], folderId: null })).json.results[0].ok).toBe(false)
    for (const path of ['/api/executions/bulk/delete', '/api/executions/bulk/retry']) {
      const { json } = await post(path, { ids: [b.executionId] })
      expect(json.results, path).toEqual([{ id: b.executionId, ok: false, error: { code: 'NOT_FOUND', message: 'Execution not found' } }])
    }
    const browse = await get('/api/workflows', `?folder=${b.folderId}`)
    expect(browse.status).toBe(404)
    const exported = await get('/api/workflows/export', `?ids=${b.workflowId}`)
    expect(exported.status).toBe(404)
    expect(exported.text).not.toContain('Flow')
    expect(await snapshot(t.db.prisma, b.tenantId)).toBe(before)
    expect(await snapshot(t.db.prisma, a.tenantId)).toBe(ownBefore)
  })

  it('never lists B’s rows in A’s lists', async () => {
    const bIds = Object.entries(b).filter(([k]) => k !== 'tenantId').map(([, v]) => v)
    const leaked: string[] = []
    for (const route of lists) {
      const { status, json } = await callRoute(await handlerOf(route), route, a, owner.key)
      const text = JSON.stringify(json)
      for (const id of bIds) if (text.includes(id)) leaked.push(`${route.path} (${status}) shows ${id}`)
      if (text.includes(b.tenantId)) leaked.push(`${route.path} shows B's tenant id`)
      // The usage page does show a workspace's own usage (by deployment): B's would be seen if it leaked.
      if (route.path === '/api/ai/usage') expect(text).toContain(a.deploymentId)
    }
    expect(leaked).toEqual([])
  })
})
