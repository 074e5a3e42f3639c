// Send SMS through the real twilio SDK against the fake Twilio, on a real worker, with Twilio's status callbacks
// arriving over HTTP at the studio's hook: delivery states recorded forward only, wait-for-final, MMS media served
// to Twilio by signed URL, bad input refused before anything is sent, Twilio's 21211 and 21610, opt-outs, a retried
// step sending nothing twice, and status callbacks that are forged, unsigned, signed by another workspace or replayed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { signMediaPath } from '../../../lib/messaging/store'
import { messagingSigningSecret } from '../../../lib/messaging/host'
import { webServices } from '../../../lib/composition/web-services'
import type { NodeSpec } from '../backbone/support'
import { createWorkflow, manual, runToEnd, startSmsEnv, twilioCredential, type SmsEnv } from './sms-support'

let env: SmsEnv
let credA: string
const FROM = '+15550100000'

beforeAll(async () => {
  env = await startSmsEnv()
  credA = await twilioCredential(env, env.a)
})
afterAll(() => env?.close())
beforeEach(() => {
  env.fake.autoStatuses = []
})

const sendSms = (params: Record<string, unknown>, settings: Record<string, unknown> = {}): NodeSpec => ({
  id: 'sms', type: 'twilio-send-sms', name: 'Send SMS', params: { credential: credA, from: FROM, to: '{{ $json.phone }}', body: 'Hello {{ $json.name }}', ...params }, settings,
})

async function send(input: unknown[], params: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) {
  const wf = await createWorkflow(env.a, [manual(), sendSms(params, settings)])
  return runToEnd(env, env.a, wf, input)
}

const sentTo = (to: string) => env.fake.messages.filter((m) => m.to === to)
const messageRow = (id: string) => env.t.db.prisma.message.findUniqueOrThrow({ where: { id } })

describe('Send SMS', () => {
  it('sends, records the status callbacks that arrive over HTTP, and waits for the final state', async () => {
    env.fake.autoStatuses = ['sent', 'delivered']
    const run = await send([{ phone: '+1 (555) 010-0001', name: 'Ada' }], { waitForFinal: true, waitTimeoutSeconds: 10 })
    expect(run.execution.status, JSON.stringify(run.step('sms')?.error)).toBe('succeeded')
    const [m] = sentTo('+15550100001')
    expect(m).toMatchObject({ from: FROM, body: 'Hello Ada' })
    expect(m.statusCallback).toMatch(new RegExp(`^${env.hooks.url}/api/hooks/twilio/status/`))
    const out = (run.step('sms')!.output as any).main[0]
    expect(out).toMatchObject({ phone: '+1 (555) 010-0001', sms: { sid: m.sid, status: 'delivered', errorCode: null, to: '+15550100001' } })
    const row = await messageRow(out.sms.messageId)
    expect(row).toMatchObject({ tenantId: env.a.tenantId, direction: 'outbound', channel: 'sms', status: 'delivered', providerId: m.sid, executionId: run.executionId, nodeId: 'sms' })
    expect((row.statusHistory as { status: string }[]).map((h) => h.status)).toEqual(['pending', 'queued', 'sent', 'delivered'])
    const callbacks = env.hooks.seen.filter((s) => s.path === `/api/hooks/twilio/status/${row.id}`)
    expect(callbacks.map((c) => c.status)).toEqual([200, 200])
  })

  it('sends a file as MMS media through a signed URL that Twilio can fetch; a forged, expired or unknown link is refused', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex')
    const ref = await webServices().files.write({ tenantId: env.a.tenantId, executionId: null }, { name: 'pic.png', data: png, mimeType: 'image/png' })
    const run = await send([{ phone: '+15550100002', name: 'Bo', pic: ref }], { media: ['pic'], mediaUrls: 'https://cdn.example.com/a.jpg' })
    expect(run.execution.status, JSON.stringify(run.step('sms')?.error)).toBe('succeeded')
    const [m] = sentTo('+15550100002')
    expect(m.sid).toMatch(/^MM/)
    expect(m.mediaUrls).toHaveLength(2)
    expect(m.mediaUrls[1]).toBe('https://cdn.example.com/a.jpg')
    const fetched = await fetch(m.mediaUrls[0])
    expect(fetched.status).toBe(200)
    expect(fetched.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(png)
    expect((await messageRow((run.step('sms')!.output as any).main[0].sms.messageId)).channel).toBe('mms')

    const forged = new URL(m.mediaUrls[0])
    forged.searchParams.set('s', 'x'.repeat(43))
    expect((await fetch(forged)).status).toBe(403)
    const otherTenant = new URL(m.mediaUrls[0])
    otherTenant.searchParams.set('t', env.b.tenantId)
    expect((await fetch(otherTenant)).status).toBe(403)
    const expired = signMediaPath(messagingSigningSecret(), env.a.tenantId, ref.$file, Math.floor(Date.now() / 1000) - 10)
    expect((await fetch(`${env.hooks.url}${expired}`)).status).toBe(410)
    const missing = signMediaPath(messagingSigningSecret(), env.a.tenantId, 'f_nosuchfile000000000', Math.floor(Date.now() / 1000) + 60)
    expect((await fetch(`${env.hooks.url}${missing}`)).status).toBe(404)
  })

  it.each([
    ['an invalid E.164 number', [{ phone: '+15550100003', name: 'ok' }, { phone: '555-0100', name: 'bad' }], {}, 'INVALID_PHONE_NUMBER', 'to', /Item 1: to "555-0100" is not a phone number in E.164/],
    ['a 10,000-character body', [{ phone: '+15550100004' }], { body: 'x'.repeat(10_000) }, 'BODY_TOO_LONG', 'body', /body has 10000 characters; Twilio takes at most 1600/],
    ['a media URL that is not http(s)', [{ phone: '+15550100005' }], { mediaUrls: 'file:///etc/passwd' }, 'INVALID_MEDIA_URL', 'mediaUrls', /not an http\(s\) URL/],
  ])('refuses %s naming the field, and sends nothing', async (_what, input, params, code, field, message) => {
    const before = env.fake.messages.length
    const run = await send(input, params)
    expect(run.execution.status).toBe('failed')
    expect(run.step('sms')!.error).toMatchObject({ code, field })
    expect((run.step('sms')!.error as { message: string }).message).toMatch(message)
    expect(env.fake.messages.length).toBe(before)
  })

  it('refuses 20 MB of media before sending (the size comes from the file store, the file is not read)', async () => {
    const big = await webServices().files.write({ tenantId: env.a.tenantId, executionId: null }, { name: 'video.mp4', data: Buffer.alloc(20 * 1024 * 1024), mimeType: 'video/mp4' })
    const before = env.fake.messages.length
    const run = await send([{ phone: '+15550100006', clip: big }], { media: ['clip'] })
    expect(run.execution.status).toBe('failed')
    expect(run.step('sms')!.error).toMatchObject({ code: 'MEDIA_TOO_LARGE', field: 'media' })
    expect((run.step('sms')!.error as { message: string }).message).toMatch(/20 MB.*at most 5\.0 MB per MMS/)
    expect(env.fake.messages.length).toBe(before)
  })

  it("Twilio's 21211 fails the step and the message; 21610 records an opt-out and later sends are skipped", async () => {
    env.fake.failNext(1, 400, 21211, "The 'To' number +15550100007 is not a valid phone number.")
    const invalid = await send([{ phone: '+15550100007' }])
    expect(invalid.execution.status).toBe('failed')
    expect(invalid.step('sms')!.error).toMatchObject({ code: 'TWILIO_21211', field: 'to' })
    const failedRow = await env.t.db.prisma.message.findFirstOrThrow({ where: { executionId: invalid.executionId } })
    expect(failedRow).toMatchObject({ status: 'failed', errorCode: '21211', providerId: null })

    env.fake.unsubscribed.add('+15550100008')
    const first = await send([{ phone: '+15550100008' }])
    expect(first.execution.status).toBe('succeeded')
    expect((first.step('sms')!.output as any).main[0].sms).toMatchObject({ status: 'skipped', errorCode: '21610' })
    expect(await env.t.db.prisma.messagingOptOut.findMany({ where: { tenantId: env.a.tenantId, address: '+15550100008' } })).toMatchObject([{ channel: 'sms', source: 'carrier' }])
    env.fake.unsubscribed.delete('+15550100008')
    const again = await send([{ phone: '+15550100008' }])
    expect((again.step('sms')!.output as any).main[0].sms).toMatchObject({ status: 'skipped', errorCode: 'OPTED_OUT' })
    expect(sentTo('+15550100008')).toHaveLength(0)
  })

  it('a retried step sends nothing it already sent', async () => {
    // Twilio is busy (503) for the second message only: the step fails after the first and is retried.
    const push = env.fake.messages.push.bind(env.fake.messages)
    env.fake.messages.push = (...m) => {
      const n = push(...m)
      if (m[0].to === '+15550100009') env.fake.failNext(1, 503, 20503, 'Service unavailable')
      return n
    }
    try {
      const run = await send([{ phone: '+15550100009' }, { phone: '+15550100010' }], {}, { maxAttempts: 3, backoffMs: 0 })
      expect(run.execution.status, JSON.stringify(run.steps.map((s) => s.error))).toBe('succeeded')
      expect(run.steps.filter((s) => s.nodeId === 'sms').length).toBeGreaterThanOrEqual(2)
      expect(sentTo('+15550100009')).toHaveLength(1)
      expect(sentTo('+15550100010')).toHaveLength(1)
      const out = (run.step('sms')!.output as any).main
      expect(out.map((i: any) => i.sms.sid)).toEqual([sentTo('+15550100009')[0].sid, sentTo('+15550100010')[0].sid])
    } finally {
      env.fake.messages.push = push
    }
  })
})

describe('status callbacks', () => {
  async function sentMessage(phone: string) {
    const run = await send([{ phone }])
    expect(run.execution.status).toBe('succeeded')
    const [m] = sentTo(phone)
    return { sid: m.sid, id: (run.step('sms')!.output as any).main[0].sms.messageId as string, url: m.statusCallback! }
  }
  const params = (sid: string, status: string) => ({ AccountSid: env.fake.accountSid, MessageSid: sid, SmsSid: sid, MessageStatus: status, From: FROM, To: '+15550100020' })

  it('refuses a forged signature, a missing one and one made with another workspace\'s token (403), and a SID of another message (409)', async () => {
    const { sid, id, url } = await sentMessage('+15550100020')
    await twilioCredential(env, env.b, 'workspace-b-auth-token')
    expect((await env.fake.post(url, params(sid, 'delivered'), { signature: 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(403)
    expect((await env.fake.post(url, params(sid, 'delivered'), { signature: null })).status).toBe(403)
    expect((await env.fake.post(url, params(sid, 'delivered'), { authToken: 'workspace-b-auth-token' })).status).toBe(403)
    const other = await sentMessage('+15550100021')
    expect((await env.fake.post(url, params(other.sid, 'delivered'))).status).toBe(409)
    expect((await env.fake.post(`${env.hooks.url}/api/hooks/twilio/status/nosuchmessage`, params(sid, 'delivered'))).status).toBe(404)
    expect(await messageRow(id)).toMatchObject({ status: 'queued' })
  })

  it('applies a status once: a replay answers 200 and changes nothing; a late, lower status is ignored; ErrorCode is kept', async () => {
    const { sid, id } = await sentMessage('+15550100022')
    const first = await env.fake.sendStatus(sid, 'undelivered', { errorCode: '30003' })
    expect(first.status).toBe(200)
    expect(JSON.parse(first.body)).toEqual({ changed: true, status: 'undelivered' })
    const after = await messageRow(id)
    expect(after).toMatchObject({ status: 'undelivered', errorCode: '30003' })
    const replay = await env.fake.sendStatus(sid, 'undelivered', { errorCode: '30003' })
    expect(replay.status).toBe(200)
    expect(JSON.parse(replay.body)).toEqual({ changed: false, status: 'undelivered' })
    const late = await env.fake.sendStatus(sid, 'sent')
    expect(late.status).toBe(200)
    const final = await messageRow(id)
    expect(final.statusHistory).toEqual(after.statusHistory)
    expect(final).toMatchObject({ status: 'undelivered', errorCode: '30003' })
  })
})
