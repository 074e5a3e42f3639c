// The studio's messaging API on real PostgreSQL: the message log's filters and cursor pages, a message's detail, a
// run's conversation, the opt-out list with its roles, and another workspace reading none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PrismaClient } from '../../../lib/db/client'
import { closeAppServices } from '../../../lib/services/app'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call } from '../backbone/support'
import * as messagesRoute from '../../../app/api/messaging/messages/route'
import * as messageRoute from '../../../app/api/messaging/messages/[id]/route'
import * as optOutsRoute from '../../../app/api/messaging/opt-outs/route'
import * as conversationRoute from '../../../app/api/executions/[id]/messages/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant, b: SeededTenant, viewer: SeededTenant, editor: SeededTenant
let runId: string
const ids: Record<string, string> = {}

/** A workflow with one run, for messages to belong to. */
async function seedRun(prisma: PrismaClient, tenantId: string): Promise<string> {
  const wf = await prisma.workflow.create({ data: { tenantId, name: 'Support line' } })
  const version = await prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [], notes: [] } } })
  const run = await prisma.execution.create({ data: { tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, mode: 'manual', status: 'succeeded' } })
  return run.id
}

const base = Date.parse('2026-06-01T10:00:00Z')
/** Message rows as the messaging host writes them, `minute` minutes after 10:00. */
function message(tenantId: string, minute: number, over: Record<string, unknown> = {}) {
  return {
    tenantId, channel: 'sms', direction: 'outbound', provider: 'twilio', from: '+15550001000', to: '+15550002000', body: `message ${minute}`,
    status: 'delivered', createdAt: new Date(base + minute * 60_000), statusHistory: [{ status: 'queued', at: new Date(base).toISOString() }, { status: 'delivered', at: new Date(base + 1000).toISOString() }],
    ...over,
  }
}

beforeAll(async () => {
  t = await useTestEnv()
  ;[a, b] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' })])
  ;[viewer, editor] = await Promise.all([addMember(t.db.prisma, a, 'viewer'), addMember(t.db.prisma, a, 'editor')])
  runId = await seedRun(t.db.prisma, a.tenantId)
  const campaign = await t.db.prisma.messagingCampaign.create({
    data: { tenantId: a.tenantId, name: 'C', credentialId: 'x', from: '+15550001000', body: 'hi', recipients: ['+15550003000'], sendAt: new Date(base), timeZone: 'UTC', localTime: '2026-06-01T10:00' },
  })
  ids.campaign = campaign.id
  const rows = [
    ['out1', message(a.tenantId, 1, { executionId: runId, providerId: 'SM1' })],
    ['in1', message(a.tenantId, 2, { direction: 'inbound', from: '+15550002000', to: '+15550001000', status: 'received', body: 'STOP?', executionId: runId, providerId: 'SM2' })],
    ['failed', message(a.tenantId, 3, { to: '+447700900123', status: 'failed', errorCode: '21211', errorMessage: "The 'To' number is not valid", executionId: runId })],
    ['wa', message(a.tenantId, 4, { channel: 'whatsapp', provider: 'whatsapp', to: '+5511999990000', status: 'read' })],
    ['camp', message(a.tenantId, 5, { to: '+15550003000', campaignId: campaign.id, status: 'sent' })],
    ['other', message(b.tenantId, 6, { to: '+15550002000' })],
  ] as const
  for (const [key, data] of rows) ids[key] = (await t.db.prisma.message.create({ data: data as never })).id
  await t.db.prisma.voiceCall.create({ data: { tenantId: a.tenantId, executionId: runId, direction: 'outbound', from: '+15550001000', to: '+15550002000', status: 'completed', callSid: 'CA1', inputs: [{ seq: 1, kind: 'gather', fields: { Digits: '2' } }] } })
})
afterAll(async () => {
  await closeAppServices()
  await t?.teardown()
})

const list = (tenant: SeededTenant, query = '') => call(messagesRoute.GET, { headers: tenant.headers, url: `/api/messaging/messages?${query}` })
const names = (res: { json: { messages: Array<{ id: string }> } }) => res.json.messages.map((m) => Object.keys(ids).find((k) => ids[k] === m.id))

describe('GET /api/messaging/messages', () => {
  it("lists the workspace's messages newest first, and nothing of another workspace", async () => {
    expect(names(await list(a))).toEqual(['camp', 'wa', 'failed', 'in1', 'out1'])
    expect(names(await list(b))).toEqual(['other'])
    expect(names(await list(b, `executionId=${runId}`))).toEqual([])
    expect(names(await list(b, `campaignId=${ids.campaign}`))).toEqual([])
  })

  it.each([
    ['channel=whatsapp', ['wa']],
    ['direction=inbound', ['in1']],
    ['status=failed', ['failed']],
    ['number=447700', ['failed']],
    ['number=%2B1%20555%20000%202000', ['in1', 'out1']],
    [`executionId=${'RUN'}`, ['failed', 'in1', 'out1']],
    [`campaignId=${'CAMPAIGN'}`, ['camp']],
    ['since=2026-06-01T10:03:00Z&until=2026-06-01T10:05:00Z', ['wa', 'failed']],
    ['channel=sms&direction=outbound&status=delivered', ['out1']],
  ])('filters by %s', async (query, expected) => {
    const res = await list(a, query.replace('RUN', runId).replace('CAMPAIGN', ids.campaign))
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(names(res)).toEqual(expected)
  })

  it('pages with a cursor: every message once, in order', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await list(a, `limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...(names(res) as string[]))
      cursor = res.json.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(['camp', 'wa', 'failed', 'in1', 'out1'])
  })

  it.each([
    ['channel=fax', 'channel'],
    ['since=yesterday', 'since'],
    ['limit=0', 'limit'],
    ['cursor=garbage', 'cursor'],
  ])('refuses %s naming the field', async (query, field) => {
    const res = await list(a, query)
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty(field)
  })

  it('shows one message with its status history; another workspace gets 404', async () => {
    const res = await call(messageRoute.GET, { headers: viewer.headers, params: { id: ids.failed } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ status: 'failed', errorCode: '21211', errorMessage: "The 'To' number is not valid", statusHistory: [{ status: 'queued' }, { status: 'delivered' }] })
    expect((await call(messageRoute.GET, { headers: b.headers, params: { id: ids.failed } })).status).toBe(404)
  })
})

describe('GET /api/executions/:id/messages', () => {
  it("is the run's conversation oldest first, with its calls; another workspace gets 404", async () => {
    const res = await call(conversationRoute.GET, { headers: viewer.headers, params: { id: runId } })
    expect(res.status).toBe(200)
    expect(res.json.messages.map((m: { id: string }) => m.id)).toEqual([ids.out1, ids.in1, ids.failed])
    expect(res.json.calls).toMatchObject([{ callSid: 'CA1', status: 'completed', inputs: [{ kind: 'gather', fields: { Digits: '2' } }] }])
    expect((await call(conversationRoute.GET, { headers: b.headers, params: { id: runId } })).status).toBe(404)
  })
})

describe('/api/messaging/opt-outs', () => {
  const optOuts = (tenant: SeededTenant) => call(optOutsRoute.GET, { headers: tenant.headers, url: '/api/messaging/opt-outs' })
  const add = (tenant: SeededTenant, body: unknown) => call(optOutsRoute.POST, { method: 'POST', headers: tenant.headers, body })
  const remove = (tenant: SeededTenant, query: string) => call(optOutsRoute.DELETE, { method: 'DELETE', headers: tenant.headers, url: `/api/messaging/opt-outs?${query}` })

  it('editors add and remove numbers (normalised); viewers only read; another workspace sees none', async () => {
    expect((await add(viewer, { address: '+15550009999' })).status).toBe(403)
    const added = await add(editor, { address: '+1 (555) 000-9999' })
    expect(added.status, JSON.stringify(added.json)).toBe(201)
    expect(added.json).toMatchObject({ channel: 'sms', address: '+15550009999', source: 'manual' })
    expect((await add(editor, { address: '+15550009999' })).status).toBe(201)
    expect((await optOuts(viewer)).json.optOuts).toMatchObject([{ address: '+15550009999', source: 'manual' }])
    expect((await optOuts(b)).json.optOuts).toEqual([])
    expect((await remove(b, 'channel=sms&address=%2B15550009999')).status).toBe(404)
    expect((await remove(viewer, 'channel=sms&address=%2B15550009999')).status).toBe(403)
    expect((await remove(editor, 'channel=sms&address=%2B15550009999')).status).toBe(204)
    expect((await remove(editor, 'channel=sms&address=%2B15550009999')).status).toBe(404)
    expect((await optOuts(a)).json.optOuts).toEqual([])
  })

  it('refuses a number that is not E.164, naming address', async () => {
    const res = await add(editor, { address: '555-0100' })
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty('address')
  })

  it('pages with a cursor', async () => {
    for (const n of ['+15550008001', '+15550008002', '+15550008003']) await add(editor, { address: n })
    const first = await call(optOutsRoute.GET, { headers: a.headers, url: '/api/messaging/opt-outs?limit=2' })
    const second = await call(optOutsRoute.GET, { headers: a.headers, url: `/api/messaging/opt-outs?limit=2&cursor=${first.json.nextCursor}` })
    const all = [...first.json.optOuts, ...second.json.optOuts].map((o: { address: string }) => o.address).sort()
    expect(all).toEqual(['+15550008001', '+15550008002', '+15550008003'])
    expect(second.json.nextCursor).toBeNull()
  })
})
