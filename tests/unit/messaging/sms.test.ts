// The SMS helpers that need no server: STOP/START keywords, the bulk recipient list, media URL lists, the inbound item.
import { describe, expect, it } from 'vitest'
import { cleanRecipients } from '../../../lib/messaging/sms-bulk'
import { inboundItem, optOutKeyword } from '../../../lib/messaging/sms-inbound'
import { parseMediaUrls } from '../../../lib/messaging/sms-media'
import { bulkSmsParams, recipientList } from '../../../lib/nodes/twilio/bulk-sms/definition'
import { smsTriggerParams } from '../../../lib/nodes/twilio/sms-trigger/definition'

describe('opt-out keywords', () => {
  it.each([
    ['STOP', 'stop'], [' stop ', 'stop'], ['StopAll', 'stop'], ['unsubscribe', 'stop'], ['CANCEL', 'stop'], ['end', 'stop'], ['quit\n', 'stop'],
    ['START', 'start'], ['yes', 'start'], ['Unstop', 'start'],
    ['please stop', null], ['stop!', null], ['', null], ['STARTED', null],
  ])('%j → %s', (body, expected) => {
    expect(optOutKeyword(body)).toBe(expected)
  })
})

describe('bulk recipients', () => {
  it('reads lists, single numbers and comma-, semicolon- or line-separated text', () => {
    expect(recipientList(['+15550100001', ['+15550100002']])).toEqual(['+15550100001', '+15550100002'])
    expect(recipientList('+15550100001, +15550100002;+15550100003\n+15550100004')).toEqual(['+15550100001', '+15550100002', '+15550100003', '+15550100004'])
    expect(recipientList(15550100001)).toEqual(['15550100001'])
    expect(recipientList(null)).toEqual([])
    expect(bulkSmsParams.parse({ recipients: '+15550100001,+15550100002' }).recipients).toHaveLength(2)
  })

  it('normalises, keeps the first of each number, and sets invalid ones apart', () => {
    const { targets, invalid, duplicates } = cleanRecipients(['+1 555 010 0001', '+15550100001', '0015550100002', 'nope', 'nope'])
    expect(targets.map((t) => t.to)).toEqual(['+15550100001', '+15550100002'])
    expect(invalid).toMatchObject([{ to: 'nope', outcome: 'failed', errorCode: 'INVALID_PHONE_NUMBER' }])
    expect(duplicates.map((d) => d.to)).toEqual(['+15550100001', 'nope'])
  })

  it('refuses a rate of 0 or above 100 naming the field', () => {
    expect(() => bulkSmsParams.parse({ ratePerSecond: 0 })).toThrow(/above 0/)
    expect(() => bulkSmsParams.parse({ ratePerSecond: 101 })).toThrow()
  })
})

describe('media URLs', () => {
  it('splits on commas and whitespace and refuses what Twilio cannot fetch, naming mediaUrls', () => {
    expect(parseMediaUrls('https://a.example/x.png, http://b.example/y.jpg\nhttps://c.example/z')).toHaveLength(3)
    expect(parseMediaUrls('')).toEqual([])
    expect(() => parseMediaUrls('ftp://a.example/x', 2)).toThrow(expect.objectContaining({ code: 'INVALID_MEDIA_URL', field: 'mediaUrls' }))
  })
})

describe('On SMS received', () => {
  it('takes the number in E.164 (normalised) or none, and refuses anything else naming it', () => {
    expect(smsTriggerParams.parse({ credential: 'c', number: '+1 (555) 010-0000' }).number).toBe('+15550100000')
    expect(smsTriggerParams.parse({ credential: 'c' }).number).toBe('')
    expect(smsTriggerParams.safeParse({ credential: 'c', number: '555' }).error?.issues[0]).toMatchObject({ path: ['number'] })
    expect(smsTriggerParams.safeParse({}).error?.issues[0]).toMatchObject({ path: ['credential'] })
  })

  it('turns Twilio\'s form into the run item (media as given, at most 10)', () => {
    const item = inboundItem({ From: '+15550100001', To: '+15550100000', Body: 'STOP', MessageSid: 'SM1', NumMedia: '2', MediaUrl0: 'u0', MediaContentType0: 'image/png', MediaUrl1: 'u1' }, 'm1', new Date(0))
    expect(item).toMatchObject({ from: '+15550100001', body: 'STOP', optOut: 'stop', messageSid: 'SM1', messageId: 'm1', media: [{ url: 'u0', contentType: 'image/png' }, { url: 'u1', contentType: null }], receivedAt: '1970-01-01T00:00:00.000Z' })
  })
})
