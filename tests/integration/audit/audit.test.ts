// The audit log over real PostgreSQL: the existing routes record their changes, GET /api/audit filters and pages
// exactly, exports escape CSV formulas, only admins read it, workspaces never see each other's entries, and the
// prune deletes only entries past retention (the server's, or a workspace's shorter one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as activate from '../../../app/api/workflows/[id]/activate/route'
import * as exportWf from '../../../app/api/workflows/[id]/export/route'
import * as audit from '../../../app/api/audit/route'
import * as auditExport from '../../../app/api/audit/export/route'
import * as auditSettings from '../../../app/api/audit/settings/route'
import { recordAudit } from '../../../lib/audit'
import { csvCell } from '../../../lib/audit/export'
import { pruneAuditLog } from '../../../lib/audit/retention'
import { closeAppServices } from '../../../lib/services/app'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
const DAY = 86_400_000

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  b = await seedTenant(t.db.prisma, { name: 'B' })
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

const list = (who: SeededTenant, query = '') => call(audit.GET, { url: `/api/audit${query}`, headers: who.headers })

/** Entries written straight to the table, at known times, for the filter and paging tests. */
async function seedEntries(tenantId: string, n: number, base: number) {
  await t.db.prisma.auditLog.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      tenantId, actorType: 'user', actorId: `u${i % 2}`, actorLabel: i % 2 ? 'carol@example.test' : 'dave@example.test',
      action: i % 3 === 0 ? 'auth.signin' : 'member.role_changed', target: `member:m${i}`, outcome: i % 4 === 0 ? 'failure' : 'success',
      ip: '10.0.0.1', createdAt: new Date(base + i * 1000),
    })),
  })
}

describe('the existing routes record their changes', () => {
  it('create, activate, export and delete of a workflow appear with actor, target and ip', async () => {
    const headers = { ...a.headers, 'x-auterity-client-ip': '203.0.113.7' }
    const created = await call(workflows.POST, { method: 'POST', headers, body: { name: 'Billing sync', graph: chain(node.webhook('billing-sync')) } })
    expect(created.status).toBe(201)
    const id = created.json.id as string
    const activated = await call(activate.POST, { method: 'POST', headers, params: { id } })
    expect(activated.status, JSON.stringify(activated.json)).toBe(200)
    expect((await call(exportWf.GET, { headers, params: { id } })).status).toBe(200)
    expect((await call(workflow.DELETE, { method: 'DELETE', headers, params: { id } })).status).toBe(204)

    const { status, json } = await list(a, `?target=workflow:${id}`)
    expect(status).toBe(200)
    expect(json.entries.map((e: { action: string }) => e.action)).toEqual(['workflow.deleted', 'workflow.exported', 'workflow.activated', 'workflow.created'])
    for (const e of json.entries) {
      expect(e).toMatchObject({ actorType: 'apiKey', ip: '203.0.113.7', outcome: 'success', target: `workflow:${id}` })
      expect(e.actorLabel).toMatch(/\(ak_/)
    }
    expect(json.entries[3].data).toMatchObject({ name: 'Billing sync' })
    expect(JSON.stringify(json.entries)).not.toContain('"nodes"')
  })
})

describe('GET /api/audit', () => {
  let c: SeededTenant
  const base = Date.parse('2026-01-01T00:00:00Z')
  beforeAll(async () => {
    c = await seedTenant(t.db.prisma, { name: 'C' })
    await seedEntries(c.tenantId, 12, base)
    // Same instant for two rows: the cursor must still neither repeat nor skip.
    await t.db.prisma.auditLog.createMany({ data: ['x1', 'x2'].map((target) => ({ tenantId: c.tenantId, action: 'apikey.created', target, createdAt: new Date(base + 3000) })) })
  })

  it('pages by cursor newest first without repeats or gaps', async () => {
    const seen: string[] = []
    let cursor = ''
    let pages = 0
    do {
      const { json } = await list(c, `?limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...json.entries.map((e: { id: string }) => e.id))
      cursor = json.nextCursor ?? ''
      pages++
    } while (cursor)
    const all = await t.db.prisma.auditLog.findMany({ where: { tenantId: c.tenantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })
    expect(seen).toEqual(all.map((r) => r.id))
    expect(pages).toBe(3)
  })

  it.each([
    ['?action=auth.signin', 4],
    ['?action=auth.', 4],
    ['?action=member.', 8],
    ['?actor=carol', 6],
    ['?actor=u0', 6],
    ['?outcome=failure', 3],
    ['?target=member:m3', 1],
    ['?target=member:', 12],
    [`?from=${new Date(base + 10_000).toISOString()}`, 2],
    [`?to=${new Date(base + 1000).toISOString()}`, 2],
    ['?q=DAVE', 6],
    ['?q=role_changed&outcome=failure', 2],
  ])('filter %s gives %i entries', async (query, n) => {
    const { status, json } = await list(c, `${query}&limit=200`)
    expect(status).toBe(200)
    expect(json.entries).toHaveLength(n)
  })

  it.each([
    ['?limit=201', 'limit'],
    ['?limit=0', 'limit'],
    ['?from=yesterday', 'from'],
    ['?outcome=maybe', 'outcome'],
    ['?cursor=bm9wZQ', 'cursor'],
  ])('refuses %s naming the field', async (query, field) => {
    const { status, json } = await list(c, query)
    expect(status).toBe(400)
    expect(json.error.fields).toHaveProperty(field)
  })

  it.each(['viewer', 'operator', 'editor'] as const)('a %s gets 403', async (role) => {
    const member = await addMember(t.db.prisma, c, role)
    expect((await list(member)).status).toBe(403)
    expect((await call(auditExport.GET, { url: '/api/audit/export', headers: member.headers })).status).toBe(403)
  })

  it('a workspace sees only its own entries, never ones without a workspace', async () => {
    await recordAudit(t.db.prisma, { tenantId: null, actor: { type: 'user', label: 'nobody@example.test' }, action: 'auth.signin_failed', outcome: 'failure' })
    const { json } = await list(b, '?limit=200')
    expect(json.entries).toEqual([])
    const mine = await list(c, '?q=nobody')
    expect(mine.json.entries).toEqual([])
  })
})

describe('export', () => {
  it('CSV escapes formulas and quotes; JSONL gives one entry a line; the export is recorded', async () => {
    const d = await seedTenant(t.db.prisma, { name: 'D' })
    await t.db.prisma.auditLog.createMany({
      data: [
        { tenantId: d.tenantId, action: 'member.invited', actorLabel: '=HYPERLINK("http://evil")', target: '+1,2', createdAt: new Date(Date.now() - 2000) },
        { tenantId: d.tenantId, action: 'member.removed', actorLabel: '@sum', target: 'a "quoted"\nline', createdAt: new Date(Date.now() - 1000) },
      ],
    })
    const csv = await call(auditExport.GET, { url: '/api/audit/export?format=csv&action=member.', headers: d.headers })
    expect(csv.status).toBe(200)
    expect(csv.res.headers.get('content-type')).toContain('text/csv')
    expect(csv.res.headers.get('content-disposition')).toContain('attachment')
    const lines = (csv.json as string).split('\r\n')
    expect(lines[0]).toBe('time,actorType,actorId,actor,action,target,outcome,ip,data')
    expect(csv.json).toContain(`"'@sum"`.slice(1, -1))
    expect(csv.json).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(csv.json).toContain(`"'+1,2"`)
    expect(csv.json).toContain(`"a ""quoted""\nline"`)

    const jsonl = await call(auditExport.GET, { url: '/api/audit/export?format=jsonl&action=member.', headers: d.headers })
    const rows = (jsonl.json as string).trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.map((r) => r.action)).toEqual(['member.removed', 'member.invited'])
    expect(rows[1].actor).toBe('=HYPERLINK("http://evil")')

    const recorded = await list(d, '?action=audit.exported')
    expect(recorded.json.entries).toHaveLength(2)
    expect(recorded.json.entries[0].data).toMatchObject({ format: 'jsonl' })
  })

  it.each([
    ['=1+1', "'=1+1"],
    ['-2', "'-2"],
    ['\t=x', "'\t=x"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    [null, ''],
  ])('csvCell(%j) is %j', (input, out) => expect(csvCell(input)).toBe(out))
})

describe('retention', () => {
  it('the prune deletes only entries past retention, honouring a workspace setting that is shorter', async () => {
    const e = await seedTenant(t.db.prisma, { name: 'E' })
    const f = await seedTenant(t.db.prisma, { name: 'F' })
    const now = Date.now()
    const ages = [1, 20, 40, 400]
    for (const tenant of [e, f]) {
      await t.db.prisma.auditLog.createMany({ data: ages.map((d) => ({ tenantId: tenant.tenantId, action: 'auth.signin', target: `age:${d}`, createdAt: new Date(now - d * DAY) })) })
    }
    const put = await call(auditSettings.PUT, { method: 'PUT', headers: e.headers, body: { auditRetentionDays: 30 } })
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ auditRetentionDays: 30, effectiveDays: 30 })
    await pruneAuditLog(t.db.prisma, 365)
    const left = async (tenant: SeededTenant) =>
      (await t.db.prisma.auditLog.findMany({ where: { tenantId: tenant.tenantId, target: { startsWith: 'age:' } }, orderBy: { createdAt: 'desc' } })).map((r) => r.target)
    expect(await left(e)).toEqual(['age:1', 'age:20'])
    expect(await left(f)).toEqual(['age:1', 'age:20', 'age:40'])
    expect((await list(e, '?action=workspace.settings_changed')).json.entries).toHaveLength(1)
  })

  it.each([[0], [3651], [1.5], ['30']])('refuses auditRetentionDays %j naming the field', async (days) => {
    const { status, json } = await call(auditSettings.PUT, { method: 'PUT', headers: a.headers, body: { auditRetentionDays: days } })
    expect(status).toBe(400)
    expect(json.error.fields).toHaveProperty('auditRetentionDays')
  })

  it('an editor cannot change it', async () => {
    const editor = await addMember(t.db.prisma, a, 'editor')
    expect((await call(auditSettings.PUT, { method: 'PUT', headers: editor.headers, body: { auditRetentionDays: 10 } })).status).toBe(403)
  })
})
