// WhatsApp's pure parts: the message builder's limits and payloads, media checks, Graph error mapping, the
// X-Hub-Signature-256 check, and the trigger's items from Meta's notification shapes.
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { NodeError } from '../../../lib/engine/types'
import { graphError } from '../../../lib/messaging/whatsapp-graph'
import { validHubSignature } from '../../../lib/messaging/whatsapp-hook'
import { buildWhatsAppMessage, checkWhatsAppMedia, whatsappRecipient, type WhatsAppMessageInput } from '../../../lib/messaging/whatsapp-message'
import { inboundItem, statusItem } from '../../../lib/messaging/whatsapp-webhook'
import { whatsappSendParams } from '../../../lib/nodes/whatsapp/send/definition'

const input = (over: Partial<WhatsAppMessageInput>): WhatsAppMessageInput => ({ ...whatsappSendParams.parse({ to: '+14155550100' }), ...over }) as WhatsAppMessageInput

function failure(fn: () => unknown): NodeError {
  try {
    fn()
  } catch (err) {
    if (err instanceof NodeError) return err
    throw err
  }
  throw new Error('expected a NodeError')
}

describe('buildWhatsAppMessage', () => {
  it.each([
    ['+1 (415) 555-0100', '+14155550100'],
    ['14155550100', '+14155550100'],
    ['0014155550100', '+14155550100'],
  ])('reads %s as %s (and its wa_id)', (given, e164) => {
    expect(whatsappRecipient(given)).toEqual({ to: e164, waId: e164.slice(1) })
  })

  it.each([
    ['text of 10,000 characters', { type: 'text', text: 'x'.repeat(10_000) }, 'text', 'WHATSAPP_TOO_LONG'],
    ['empty text', { type: 'text', text: ' ' }, 'text', 'WHATSAPP_MISSING_FIELD'],
    ['a caption of 1025 characters', { type: 'image', mediaSource: 'url', mediaUrl: 'https://x.test/a.png', caption: 'c'.repeat(1025) }, 'caption', 'WHATSAPP_TOO_LONG'],
    ['a caption on audio', { type: 'audio', mediaSource: 'url', mediaUrl: 'https://x.test/a.ogg', caption: 'no' }, 'caption', 'WHATSAPP_INVALID_MESSAGE'],
    ['a media URL that is not one', { type: 'video', mediaSource: 'url', mediaUrl: 'not a url' }, 'mediaUrl', 'WHATSAPP_INVALID_URL'],
    ['no buttons', { type: 'buttons', text: 'Pick', buttons: [] }, 'buttons', 'WHATSAPP_TOO_MANY_BUTTONS'],
    ['two buttons with one id', { type: 'buttons', text: 'Pick', buttons: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] }, 'buttons.1.id', 'WHATSAPP_DUPLICATE_ID'],
    ['a header of 61 characters', { type: 'buttons', text: 'Pick', header: 'h'.repeat(61), buttons: [{ id: 'a', title: 'A' }] }, 'header', 'WHATSAPP_TOO_LONG'],
    ['a list without its button label', { type: 'list', text: 'Pick', sections: [{ title: 'S', rows: [{ id: 'a', title: 'A' }] }] }, 'listButton', 'WHATSAPP_MISSING_FIELD'],
    ['eleven sections', { type: 'list', text: 'Pick', listButton: 'Open', sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: [{ id: `r${i}`, title: 'R' }] })) }, 'sections', 'WHATSAPP_TOO_MANY_SECTIONS'],
    ['two untitled sections', { type: 'list', text: 'Pick', listButton: 'Open', sections: [{ rows: [{ id: 'a', title: 'A' }] }, { rows: [{ id: 'b', title: 'B' }] }] }, 'sections.0.title', 'WHATSAPP_MISSING_FIELD'],
    ['a row title of 25 characters', { type: 'list', text: 'Pick', listButton: 'Open', sections: [{ title: 'S', rows: [{ id: 'a', title: 't'.repeat(25) }] }] }, 'sections.0.rows.0.title', 'WHATSAPP_TOO_LONG'],
    ['a row description of 73 characters', { type: 'list', text: 'Pick', listButton: 'Open', sections: [{ title: 'S', rows: [{ id: 'a', title: 'A', description: 'd'.repeat(73) }] }] }, 'sections.0.rows.0.description', 'WHATSAPP_TOO_LONG'],
    ['a longitude of 181', { type: 'location', latitude: '0', longitude: '181' }, 'longitude', 'WHATSAPP_INVALID_LOCATION'],
    ['a template name with spaces', { type: 'template', templateName: 'Order Update' }, 'templateName', 'WHATSAPP_INVALID_TEMPLATE'],
    ['a language that is no code', { type: 'template', templateName: 'order_update', templateLanguage: 'English' }, 'templateLanguage', 'WHATSAPP_INVALID_TEMPLATE'],
    ['an empty template parameter', { type: 'template', templateName: 'order_update', bodyParameters: ['Ada', ''] }, 'bodyParameters.1', 'WHATSAPP_MISSING_FIELD'],
  ])('refuses %s naming %s', (_, over, field, code) => {
    const e = failure(() => buildWhatsAppMessage(input(over as Partial<WhatsAppMessageInput>), 3))
    expect(e).toMatchObject({ field, code, retryable: false, details: expect.objectContaining({ item: 3 }) })
    expect(e.message).toMatch(/^Item 3: /)
  })

  it('keeps a document file for upload, with its caption and file name', () => {
    const m = buildWhatsAppMessage(input({ type: 'document', mediaSource: 'file', fileField: 'invoice', caption: 'Your invoice', filename: 'A-17.pdf' }))
    expect(m).toMatchObject({ apiType: 'document', payload: { caption: 'Your invoice', filename: 'A-17.pdf' }, file: { kind: 'document', field: 'invoice' } })
  })
})

describe('checkWhatsAppMedia', () => {
  it.each([
    ['image', 5 * 1024 * 1024 + 1, 'image/png', 'WHATSAPP_MEDIA_TOO_LARGE'],
    ['audio', 16 * 1024 * 1024 + 1, 'audio/ogg', 'WHATSAPP_MEDIA_TOO_LARGE'],
    ['video', 17 * 1024 * 1024, 'video/mp4', 'WHATSAPP_MEDIA_TOO_LARGE'],
    ['document', 101 * 1024 * 1024, 'application/pdf', 'WHATSAPP_MEDIA_TOO_LARGE'],
    ['image', 1000, 'image/gif', 'WHATSAPP_MEDIA_TYPE'],
  ] as const)('refuses a %s of %i bytes (%s)', (kind, size, mimeType, code) => {
    expect(failure(() => checkWhatsAppMedia(kind, { name: 'f', size, mimeType }, 'file', 0))).toMatchObject({ code, field: 'file' })
  })

  it('takes files within the limits', () => {
    expect(() => checkWhatsAppMedia('image', { name: 'a.jpg', size: 5 * 1024 * 1024, mimeType: 'image/jpeg' }, 'file')).not.toThrow()
    expect(() => checkWhatsAppMedia('document', { name: 'a.zip', size: 90 * 1024 * 1024, mimeType: 'application/zip' }, 'file')).not.toThrow()
  })
})

describe('graphError', () => {
  it.each([
    [400, 131047, 'WHATSAPP_WINDOW_CLOSED', 'type', false],
    [401, 190, 'WHATSAPP_AUTH_FAILED', 'credential', false],
    [400, 131026, 'WHATSAPP_131026', 'to', false],
    [400, 100, 'WHATSAPP_100', 'type', false],
    [400, 130429, 'WHATSAPP_130429', 'type', true],
    [503, 1, 'WHATSAPP_1', 'type', true],
  ])('HTTP %i with Graph code %i is %s on %s (retryable: %s)', (status, code, want, field, retryable) => {
    expect(graphError(status, { error: { code, message: 'm' } })).toMatchObject({ code: want, field, retryable })
  })
})

describe('X-Hub-Signature-256', () => {
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] })
  const sign = (secret: string, raw: string) => `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`
  it('holds for the raw body and the app secret only', () => {
    expect(validHubSignature('s3cret', body, sign('s3cret', body))).toBe(true)
    expect(validHubSignature('s3cret', `${body} `, sign('s3cret', body))).toBe(false)
    expect(validHubSignature('s3cret', body, sign('other', body))).toBe(false)
    expect(validHubSignature('s3cret', body, sign('s3cret', body).replace('sha256=', 'sha1='))).toBe(false)
    expect(validHubSignature('s3cret', body, 'sha256=abc')).toBe(false)
    expect(validHubSignature('s3cret', body, null)).toBe(false)
  })
})

describe('trigger items', () => {
  const value = { metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, contacts: [{ profile: { name: 'Ada' }, wa_id: '14155550100' }] }
  const base = { from: '14155550100', id: 'wamid.X', timestamp: '1764504000' }
  it.each([
    ['a list choice', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'where', title: 'Where is it?', description: 'Tracking' } } }, { text: 'Where is it?', reply: { kind: 'list', id: 'where', title: 'Where is it?', description: 'Tracking' } }],
    ['a template quick reply', { type: 'button', button: { payload: 'STOP', text: 'Stop promotions' } }, { reply: { kind: 'button', id: 'STOP', title: 'Stop promotions' } }],
    ['an image', { type: 'image', image: { id: '1479', mime_type: 'image/jpeg', sha256: 'abc', caption: 'Broken' } }, { text: 'Broken', media: { kind: 'image', id: '1479', mimeType: 'image/jpeg', sha256: 'abc', caption: 'Broken', filename: null } }],
    ['a location', { type: 'location', location: { latitude: 52.5, longitude: 13.4, name: 'Home' } }, { location: { latitude: 52.5, longitude: 13.4, name: 'Home', address: null } }],
  ])('%s', (_, m, want) => {
    expect(inboundItem({ ...base, ...m }, value)).toMatchObject({
      event: 'message', from: '+14155550100', waId: '14155550100', name: 'Ada', messageId: 'wamid.X', timestamp: '2025-11-30T12:00:00.000Z', phoneNumberId: '106540352242922', ...want,
    })
  })

  it('a failed status carries its errors', () => {
    const s = statusItem({ id: 'wamid.Y', status: 'failed', timestamp: '1764504000', recipient_id: '14155550100', errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Not on WhatsApp' } }] }, value)
    expect(s).toEqual({ event: 'status', status: 'failed', messageId: 'wamid.Y', to: '+14155550100', waId: '14155550100', timestamp: '2025-11-30T12:00:00.000Z', errors: [{ code: 131026, title: 'Message undeliverable', details: 'Not on WhatsApp' }], phoneNumberId: '106540352242922' })
  })
})
