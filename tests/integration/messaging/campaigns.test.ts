// Scheduled campaigns through the API and a real worker (BullMQ delayed jobs, real Redis and PostgreSQL), sending with
// the real `twilio` SDK to the fake Twilio server: nothing before sendAt, everything after with counts; a cancelled
// campaign sends nothing; a redelivered job sends nothing twice; a campaign whose job Redis lost is still sent; bad
// input refused naming the field; another workspace sees nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDecryptedCredential } from '../../../lib/credentials'
import { applyStatus } from '../../../lib/messaging/store'
import { messagingHostFromEnv } from '../../../lib/messaging/host'
import { createTcpGuard } from '../../../lib/net/ssrf'
import { createRedis } from '../../../lib/redis'
import { closeAppServices } from '../../../lib/services/app'
import { processCampaign } from '../../../workers/runtime/campaigns'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import { addMember, seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { startTestWorker } from '../../helpers/worker'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio'
import { call, waitFor } from '../backbone/support'
import * as credentialsRoute from '../../../app/api/credentials/route'
import * as campaignsRoute from '../../../app/api/messaging/campaigns/route'
import * as campaignRoute from '../../../app/api/messaging/campaigns/[id]/route'
import * as cancelRoute from '../../../app/api/messaging/campaigns/[id]/cancel/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
let fake: FakeTwilio
let a: SeededTenant, b: SeededTenant, viewer: SeededTenant
let credentialId: string
const redis = createRedis(testRedisUrl())

beforeAll(async () => {
  t = await useTestEnv()
  fake = await startFakeTwilio()
  ;[a, b] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' })])
  viewer = await addMember(t.db.prisma, a, 'viewer')
  const cred = await call(credentialsRoute.POST, { method: 'POST', headers: a.headers, body: { name: 'Twilio', kind: 'twilio', data: { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url } } })
  expect(cred.status, JSON.stringify(cred.json)).toBe(201)
  credentialId = cred.json.id
  worker = await startTestWorker(t, { http: { allowList: ['127.0.0.1'] }, services: { ...offlineHostServices(), messaging: messagingHostFromEnv(t.db.prisma, redis, { keyPrefix: t.redis.prefix }) } })
})
afterAll(async () => {
  await worker?.close()
  await fake?.close()
  redis.disconnect()
  await closeAppServices()
  await t?.teardown()
})

/** At least `ms` from now, on a whole second, as a wall-clock time in UTC ("2026-11-30T23:59:58"). */
const utcIn = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000).toISOString().slice(0, 19)
let sender = 0
/** A sender of its own per campaign: the per-sender rate slots of one test never delay another's. */
const nextSender = () => `+1555020${String(++sender).padStart(4, '0')}`

const create = (tenant: SeededTenant, body: Record<string, unknown>) =>
  call(campaignsRoute.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Spring sale', credentialId, from: nextSender(), body: 'Sale starts now', ratePerSecond: 20, timeZone: 'UTC', ...body } })
const get = (tenant: SeededTenant, id: string) => call(campaignRoute.GET, { headers: tenant.headers, params: { id } })
const sentTo = (from: string) => fake.messages.filter((m) => m.from === from)

// Each campaign has its own sender and recipients: they run side by side.
describe.concurrent('scheduled campaigns', () => {
  it('sends nothing before its time, then every distinct recipient once, with delivery counts', async () => {
    const res = await create(a, { recipients: '+1 555 010 0001\n+15550100002\n+15550100001\n+15550100003', sendAt: utcIn(2500) })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const { campaign, duplicates } = res.json
    expect(duplicates).toEqual([{ line: 3, value: '+15550100001', firstLine: 1 }])
    expect(campaign).toMatchObject({ status: 'scheduled', recipientCount: 3, counts: { total: 3, sent: 0, pending: 3 } })
    const sendAt = new Date(campaign.sendAt).getTime()
    await new Promise((r) => setTimeout(r, Math.max(0, sendAt - Date.now() - 600)))
    expect(sentTo(campaign.from)).toHaveLength(0)
    expect((await get(a, campaign.id)).json.status).toBe('scheduled')
    const done = await waitFor('the campaign to finish', async () => {
      const c = (await get(a, campaign.id)).json
      return c.status === 'done' ? c : null
    }, 10_000)
    const sent = sentTo(campaign.from)
    expect(sent.map((m) => m.to).sort()).toEqual(['+15550100001', '+15550100002', '+15550100003'])
    expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(sendAt)
    expect(done.counts).toMatchObject({ total: 3, sent: 3, failed: 0, skipped: 0, pending: 0 })
    await applyStatus(t.db.prisma, { tenantId: a.tenantId, provider: 'twilio', providerId: sent[0].sid }, { status: 'delivered' })
    await applyStatus(t.db.prisma, { tenantId: a.tenantId, provider: 'twilio', providerId: sent[1].sid }, { status: 'undelivered', errorCode: '30003' })
    const list = await call(campaignsRoute.GET, { headers: a.headers })
    expect(list.json.campaigns.find((c: { id: string }) => c.id === campaign.id).counts).toMatchObject({ sent: 3, delivered: 1, failed: 1 })
  })

  it('holds the rate per second it was given (timestamps at the fake)', async () => {
    const recipients = Array.from({ length: 5 }, (_, i) => `+1555030000${i}`)
    const res = await create(a, { recipients, ratePerSecond: 5, sendAt: utcIn(2000) })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    await waitFor('five messages', async () => sentTo(res.json.campaign.from).length === 5, 10_000)
    const at = sentTo(res.json.campaign.from).map((m) => m.receivedAt)
    // 5 a second: 4 gaps of 200 ms, less a little for timer and network jitter.
    expect(at[4] - at[0]).toBeGreaterThanOrEqual(4 * 200 * 0.9)
    expect(at[4] - at[0]).toBeLessThan(4 * 200 + 1500)
  })

  it('a campaign cancelled before it starts never sends; once cancelled it cannot be cancelled again', async () => {
    // Far enough ahead that a loaded machine still cancels before the time comes.
    const res = await create(a, { recipients: ['+15550100009'], sendAt: utcIn(3000) })
    const { id, from } = res.json.campaign
    expect((await call(cancelRoute.POST, { method: 'POST', headers: viewer.headers, params: { id } })).status).toBe(403)
    const cancelled = await call(cancelRoute.POST, { method: 'POST', headers: a.headers, params: { id } })
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200)
    expect(cancelled.json.status).toBe('cancelled')
    // Even a job that fires anyway (say it was not removed) finds nothing to claim.
    expect(await processCampaign(campaignsDeps(), { campaignId: id, tenantId: a.tenantId })).toBe(false)
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(res.json.campaign.sendAt) - Date.now()) + 1000))
    expect(sentTo(from)).toHaveLength(0)
    const again = await call(cancelRoute.POST, { method: 'POST', headers: a.headers, params: { id } })
    expect(again.status).toBe(409)
    expect(again.json.error.message).toMatch(/cancelled: only a scheduled campaign/)
  })

  it('a redelivered job sends nothing twice: only the recipient that was never sent to gets a message', async () => {
    const res = await create(a, { recipients: ['+15550100011', '+15550100012', '+15550100013'], sendAt: utcIn(2000) })
    const { id, from } = res.json.campaign
    await waitFor('the campaign to finish', async () => (await get(a, id)).json.status === 'done', 10_000)
    expect(sentTo(from)).toHaveLength(3)
    // As if the worker died mid-send: the row still running, the third message never made.
    await t.db.prisma.messagingCampaign.update({ where: { id }, data: { status: 'running' } })
    await t.db.prisma.message.deleteMany({ where: { campaignId: id, to: '+15550100013' } })
    expect(await processCampaign(campaignsDeps(), { campaignId: id, tenantId: a.tenantId }, false)).toBe(true)
    expect(sentTo(from).map((m) => m.to).sort()).toEqual(['+15550100011', '+15550100012', '+15550100013', '+15550100013'])
    // A first delivery of a finished campaign claims nothing.
    expect(await processCampaign(campaignsDeps(), { campaignId: id, tenantId: a.tenantId })).toBe(false)
    expect(sentTo(from)).toHaveLength(4)
  })

  it('a campaign whose job was lost is given one by the recovery pass and sent', async () => {
    const from = nextSender()
    const row = await t.db.prisma.messagingCampaign.create({
      data: { tenantId: a.tenantId, name: 'Lost', credentialId, from, body: 'hello', recipients: ['+15550100021'], ratePerSecond: 10, sendAt: new Date(Date.now() - 1000), timeZone: 'UTC', localTime: 'x' },
    })
    expect(await worker.campaigns!.recover()).toBeGreaterThanOrEqual(1)
    await waitFor('the lost campaign to be sent', async () => (await get(a, row.id)).json.status === 'done', 10_000)
    expect(sentTo(from)).toHaveLength(1)
  })
})

describe('campaign input', () => {
  it.each([
    ['a time that has passed', { sendAt: '2020-01-01T09:00' }, 'sendAt', /has passed/],
    ['a time that does not exist (DST gap)', { sendAt: '2030-03-10T02:30', timeZone: 'America/New_York' }, 'sendAt', /does not exist/],
    ['an unknown time zone', { sendAt: '2030-03-10T09:00', timeZone: 'Mars/Olympus' }, 'timeZone', /IANA/],
    ['a malformed time', { sendAt: 'tomorrow 9am' }, 'sendAt', /YYYY-MM-DD/],
    ['an invalid number', { recipients: '+15550100001\nnot-a-number\n+15550100002\n12' }, 'recipients', /line 2: "not-a-number"; line 4: "12"/],
    ['a bad sender', { from: 'ACME' }, 'from', /E.164/],
    ['a body over 1600 characters', { body: 'x'.repeat(1601) }, 'body', /1600/],
    ['no recipients', { recipients: '\n\n' }, 'recipients', /at least one/],
  ])('refuses %s naming the field', async (_, override, field, message) => {
    const res = await create(a, { recipients: ['+15550100001'], sendAt: '2030-06-01T09:00', ...override })
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(Object.keys(res.json.error.fields)).toContain(field)
    expect(res.json.error.message).toMatch(message)
  })

  it('turns 09:00 America/New_York into UTC with the offset of that date (EDT after the March switch, EST before)', async () => {
    const summer = await create(a, { recipients: ['+15550100001'], sendAt: '2030-03-10T09:00', timeZone: 'America/New_York' })
    const winter = await create(a, { recipients: ['+15550100001'], sendAt: '2030-03-09T09:00', timeZone: 'America/New_York' })
    expect(summer.json.campaign.sendAt).toBe('2030-03-10T13:00:00.000Z')
    expect(winter.json.campaign.sendAt).toBe('2030-03-09T14:00:00.000Z')
    expect(summer.json.campaign.sendAtLocal).toBe('2030-03-10 09:00')
    for (const c of [summer, winter]) await call(campaignRoute.DELETE, { method: 'DELETE', headers: a.headers, params: { id: c.json.campaign.id } })
  })

  it("refuses another workspace's credential, and another workspace sees, cancels and deletes none of these campaigns", async () => {
    const foreign = await create(b, { recipients: ['+15550100001'], sendAt: '2030-06-01T09:00' })
    expect(foreign.status).toBe(400)
    expect(foreign.json.error.fields).toHaveProperty('credentialId')
    const mine = await create(a, { recipients: ['+15550100001'], sendAt: '2030-06-01T09:00' })
    const id = mine.json.campaign.id
    expect((await call(campaignsRoute.GET, { headers: b.headers })).json.campaigns).toEqual([])
    expect((await get(b, id)).status).toBe(404)
    expect((await call(cancelRoute.POST, { method: 'POST', headers: b.headers, params: { id } })).status).toBe(404)
    expect((await call(campaignRoute.DELETE, { method: 'DELETE', headers: b.headers, params: { id } })).status).toBe(404)
    expect((await create(viewer, { recipients: ['+15550100001'], sendAt: '2030-06-01T09:00' })).status).toBe(403)
    expect((await call(campaignRoute.DELETE, { method: 'DELETE', headers: a.headers, params: { id } })).status).toBe(204)
    expect((await get(a, id)).status).toBe(404)
  })
})

function campaignsDeps() {
  return { prisma: t.db.prisma, messaging: messagingHostFromEnv(t.db.prisma, redis, { keyPrefix: t.redis.prefix }), network: createTcpGuard({ allowList: ['127.0.0.1'] }), getCredential: getDecryptedCredential }
}
