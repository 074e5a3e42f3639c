// Inbound SMS through the studio's hook over HTTP, signed by the fake Twilio: an active On SMS received trigger starts
// one run per message (a replayed MessageSid starts none), requests with a forged, missing or other workspace's
// signature are refused, STOP puts the sender on the opt-out list (Send SMS then skips them) and START takes them off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor, waitForStatus, type NodeSpec } from '../backbone/support'
import { createWorkflow, manual, runToEnd, startSmsEnv, twilioCredential, type SmsEnv } from './sms-support'

let env: SmsEnv
let credA: string
let workflowId: string
let hookUrl: string
const OUR_NUMBER = '+15550100000'

beforeAll(async () => {
  env = await startSmsEnv()
  credA = await twilioCredential(env, env.a)
  const trigger: NodeSpec = { id: 'incoming', type: 'twilio-sms-trigger', name: 'On SMS', params: { credential: credA, number: '+1 555 010 0000' } }
  workflowId = await createWorkflow(env.a, [trigger, { id: 'seen', type: 'no-op', name: 'Seen', params: {} }], true)
  hookUrl = `${env.hooks.url}/api/hooks/twilio/sms/${workflowId}/incoming`
})
afterAll(() => env?.close())

let counter = 0
function inbound(from: string, body: string, extra: Record<string, string> = {}) {
  counter++
  const sid = `SM${counter.toString(16).padStart(32, '0')}`
  return { AccountSid: env.fake.accountSid, MessageSid: sid, SmsSid: sid, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0', FromCountry: 'US', ...extra }
}

const runsOf = () => env.t.db.prisma.execution.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' } })

async function runFor(messageSid: string) {
  const row = await waitFor('the inbound message row with its run', async () => {
    const m = await env.t.db.prisma.message.findFirst({ where: { providerId: messageSid, direction: 'inbound' } })
    return m?.executionId ? m : null
  })
  return waitForStatus(env.t.db.prisma, row.executionId!, ['succeeded'])
}

describe('On SMS received', () => {
  it('starts the workflow with the message, answers empty TwiML, and records the message', async () => {
    const params = inbound('+15550100031', 'Hello there', { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/ME1', MediaContentType0: 'image/jpeg' })
    const res = await env.fake.post(hookUrl, params)
    expect(res.status).toBe(200)
    expect(res.body).toMatch(/<Response\/>$/)
    const run = await runFor(params.MessageSid)
    expect(run).toMatchObject({ mode: 'messaging', startNodeId: 'incoming' })
    expect((run.input as any[])[0]).toMatchObject({
      from: '+15550100031', to: OUR_NUMBER, body: 'Hello there', media: [{ url: 'https://api.twilio.com/media/ME1', contentType: 'image/jpeg' }],
      optOut: null, messageSid: params.MessageSid, accountSid: env.fake.accountSid, fromCountry: 'US',
    })
    const step = await env.t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: run.id, nodeId: 'seen' } })
    expect((step.output as any).main[0]).toMatchObject({ body: 'Hello there' })
    const row = await env.t.db.prisma.message.findFirstOrThrow({ where: { providerId: params.MessageSid } })
    expect(row).toMatchObject({ tenantId: env.a.tenantId, direction: 'inbound', channel: 'mms', status: 'received', from: '+15550100031', to: OUR_NUMBER, executionId: run.id })
  })

  it('a replayed inbound SMS (same MessageSid) starts one run', async () => {
    const params = inbound('+15550100032', 'Once')
    const before = (await runsOf()).length
    const [x, y] = await Promise.all([env.fake.post(hookUrl, params), env.fake.post(hookUrl, params)])
    expect([x.status, y.status]).toEqual([200, 200])
    await runFor(params.MessageSid)
    expect((await env.fake.post(hookUrl, params)).status).toBe(200)
    expect((await runsOf()).length).toBe(before + 1)
  })

  it('refuses forged, missing and other workspaces\' signatures (403) and starts nothing', async () => {
    await twilioCredential(env, env.b, 'workspace-b-auth-token')
    const before = (await runsOf()).length
    const forged = await env.fake.post(hookUrl, inbound('+15550100033', 'x'), { signature: 'bm90IGEgc2lnbmF0dXJl' })
    const missing = await env.fake.post(hookUrl, inbound('+15550100033', 'x'), { signature: null })
    const otherToken = await env.fake.post(hookUrl, inbound('+15550100033', 'x'), { authToken: 'workspace-b-auth-token' })
    // Signed for another URL (another workflow's trigger) and replayed here.
    const params = inbound('+15550100033', 'x')
    const elsewhere = await env.fake.post(hookUrl, params, { signature: (await import('twilio')).default.getExpectedTwilioSignature(env.fake.authToken, `${hookUrl}x`, params) })
    expect([forged.status, missing.status, otherToken.status, elsewhere.status]).toEqual([403, 403, 403, 403])
    expect((await env.fake.post(`${env.hooks.url}/api/hooks/twilio/sms/${workflowId}/nosuchnode`, inbound('+15550100033', 'x'))).status).toBe(404)
    expect((await runsOf()).length).toBe(before)
    expect(await env.t.db.prisma.message.count({ where: { from: '+15550100033' } })).toBe(0)
  })

  it('starts nothing for a message to another of the account\'s numbers', async () => {
    const before = (await runsOf()).length
    const res = await env.fake.post(hookUrl, { ...inbound('+15550100034', 'hi'), To: '+15550109999' })
    expect(res.status).toBe(200)
    expect((await runsOf()).length).toBe(before)
  })

  it('STOP opts the sender out (Send SMS skips them), START opts them back in (sent again)', async () => {
    const who = '+15550100035'
    const sender = await createWorkflow(env.a, [manual(), {
      id: 'sms', type: 'twilio-send-sms', name: 'Send SMS', params: { credential: credA, from: OUR_NUMBER, to: '{{ $json.phone }}', body: 'News' },
    }])
    const stop = inbound(who, '  stop ')
    expect((await env.fake.post(hookUrl, stop)).status).toBe(200)
    const stopRun = await runFor(stop.MessageSid)
    expect((stopRun.input as any[])[0]).toMatchObject({ optOut: 'stop', body: '  stop ' })
    expect(await env.t.db.prisma.messagingOptOut.findMany({ where: { tenantId: env.a.tenantId, address: who } })).toMatchObject([{ channel: 'sms', source: 'keyword' }])
    const skipped = await runToEnd(env, env.a, sender, [{ phone: who }])
    expect((skipped.step('sms')!.output as any).main[0].sms).toMatchObject({ status: 'skipped', errorCode: 'OPTED_OUT' })
    expect(env.fake.messages.filter((m) => m.to === who)).toHaveLength(0)

    const start = inbound(who, 'Start')
    expect((await env.fake.post(hookUrl, start)).status).toBe(200)
    expect(((await runFor(start.MessageSid)).input as any[])[0]).toMatchObject({ optOut: 'start' })
    expect(await env.t.db.prisma.messagingOptOut.count({ where: { tenantId: env.a.tenantId, address: who } })).toBe(0)
    const sent = await runToEnd(env, env.a, sender, [{ phone: who }])
    expect((sent.step('sms')!.output as any).main[0].sms).toMatchObject({ status: 'queued' })
    expect(env.fake.messages.filter((m) => m.to === who)).toHaveLength(1)
  })

  it('"please stop texting me" is a message, not a keyword', async () => {
    const params = inbound('+15550100036', 'please stop texting me')
    await env.fake.post(hookUrl, params)
    expect(((await runFor(params.MessageSid)).input as any[])[0]).toMatchObject({ optOut: null })
    expect(await env.t.db.prisma.messagingOptOut.count({ where: { address: '+15550100036' } })).toBe(0)
  })
})
