import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTcpGuard } from '../../../lib/net/ssrf'
import { twilioClient, twilioError, validTwilioSignature, expectedTwilioSignature } from '../../../lib/messaging/twilio'
import { normalizePhone, requirePhone } from '../../../lib/messaging/phone'
import { advances, isFinal } from '../../../lib/messaging/status'
import { signMediaPath, verifyMediaPath } from '../../../lib/messaging/store'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio'

let fake: FakeTwilio
beforeAll(async () => {
  fake = await startFakeTwilio()
})
afterAll(() => fake.close())

const cred = () => ({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })

describe('the twilio SDK through the guarded client', () => {
  it('sends to the credential base URL when the outbound policy allows the host', async () => {
    const client = await twilioClient(cred(), createTcpGuard({ allowList: ['127.0.0.1'] }))
    const m = await client.messages.create({ to: '+15550100001', from: '+15550100000', body: 'hi' })
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(fake.messages.at(-1)).toMatchObject({ to: '+15550100001', body: 'hi' })
  })

  it('refuses a private base URL under the default policy', async () => {
    const client = await twilioClient(cred(), createTcpGuard({}))
    await expect(client.messages.create({ to: '+15550100001', from: '+15550100000', body: 'hi' })).rejects.toMatchObject({ code: 'SSRF_BLOCKED' })
  })

  it("maps Twilio's error codes: 21211 is not retryable, 5xx is", async () => {
    const client = await twilioClient(cred(), createTcpGuard({ allowList: ['127.0.0.1'] }))
    const err = await client.messages.create({ to: '+1', from: '+15550100000', body: 'x' }).catch((e) => e)
    expect(twilioError(err, 'to')).toMatchObject({ code: 'TWILIO_21211', retryable: false, field: 'to' })
    fake.failNext(1, 503, 20503, 'Service unavailable')
    const err2 = await client.messages.create({ to: '+15550100001', from: '+15550100000', body: 'x' }).catch((e) => e)
    expect(twilioError(err2, 'to')).toMatchObject({ code: 'TWILIO_20503', retryable: true })
  })

  it('checks X-Twilio-Signature over the URL and the form parameters', async () => {
    const url = 'https://studio.example.com/api/hooks/twilio/status/m1'
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' }
    const sig = await expectedTwilioSignature('tok', url, params)
    expect(await validTwilioSignature('tok', sig, url, params)).toBe(true)
    expect(await validTwilioSignature('other', sig, url, params)).toBe(false)
    expect(await validTwilioSignature('tok', sig, url, { ...params, MessageStatus: 'failed' })).toBe(false)
    expect(await validTwilioSignature('tok', sig, `${url}?x=1`, params)).toBe(false)
    expect(await validTwilioSignature('tok', undefined, url, params)).toBe(false)
  })
})

describe('messaging helpers', () => {
  it('normalises phone numbers to E.164 and names the field when one is not', () => {
    expect(normalizePhone('+1 (555) 010-0000')).toBe('+15550100000')
    expect(normalizePhone('0044 20 7946 0000')).toBe('+442079460000')
    expect(normalizePhone('555-0100')).toBeNull()
    expect(() => requirePhone('12', 'to', 3)).toThrow(/Item 3: to "12" is not a phone number in E.164/)
  })

  it('moves statuses forward only', () => {
    expect(advances('queued', 'sent')).toBe(true)
    expect(advances('delivered', 'sent')).toBe(false)
    expect(advances('delivered', 'delivered')).toBe(false)
    expect(advances('delivered', 'read')).toBe(true)
    expect(isFinal('undelivered')).toBe(true)
    expect(isFinal('ringing', 'voice')).toBe(false)
  })

  it('signs media paths and refuses a changed or expired one', () => {
    const exp = Math.floor(Date.now() / 1000) + 60
    const path = signMediaPath('k', 't1', 'f_1', exp)
    const q = new URL(`http://x${path}`).searchParams
    expect(verifyMediaPath('k', 'f_1', { t: q.get('t'), e: q.get('e'), s: q.get('s') })).toBe('t1')
    expect(verifyMediaPath('k', 'f_2', { t: q.get('t'), e: q.get('e'), s: q.get('s') })).toBeNull()
    expect(verifyMediaPath('k', 'f_1', { t: 't2', e: q.get('e'), s: q.get('s') })).toBeNull()
    expect(verifyMediaPath('k', 'f_1', { t: q.get('t'), e: q.get('e'), s: q.get('s') }, (exp + 1) * 1000)).toBeNull()
  })
})
