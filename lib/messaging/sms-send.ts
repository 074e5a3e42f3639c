// Sending one SMS/MMS through Twilio, as the Send SMS and Bulk SMS nodes and scheduled campaigns do it: checked
// first (E.164 numbers, body length, media count), the opt-out list honoured, recorded in the Message table under
// an idempotency key so a retried step or a redelivered job finds what it already sent and never sends it twice,
// with a status callback URL that lands on /api/hooks/twilio/status/<message id>. Server only.
import type { Twilio } from 'twilio'
import { NodeError } from '../engine/types'
import { normalizePhone, requirePhone } from './phone'
import { TWILIO_UNSUBSCRIBED, twilioError } from './twilio'
import type { MessageRecord, RunMessaging } from './types'

/** Twilio's limit for one message's body (longer bodies are refused with 21617). */
export const MAX_SMS_BODY = 1600
/** Twilio's limit of media per MMS. */
export const MAX_MMS_MEDIA = 10
/** Twilio's limit for one MMS's media together (bytes). */
export const MAX_MMS_BYTES = 5 * 1024 * 1024

export interface SmsRequest {
  /** E.164 number or a Messaging Service SID (MG…). */
  from: string
  to: string
  body: string
  /** Public URLs Twilio fetches (a file's is signed by RunMessaging.mediaUrl). */
  mediaUrls?: string[]
  idempotencyKey: string
  credentialId?: string
  campaignId?: string
}

export interface SmsOutcome {
  record: MessageRecord
  /** Sent by this call (false: found already sent under the key, or skipped). */
  sentNow: boolean
  /** Not sent because the recipient opted out (STOP, or Twilio's 21610). */
  optedOut: boolean
}

const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/

/** The request checked and normalised; every problem names its field (and the item when given). */
export function checkSms(req: SmsRequest, item?: number): SmsRequest {
  const where = item === undefined ? '' : `Item ${item}: `
  const from = SERVICE_SID.test(req.from.trim()) ? req.from.trim() : normalizePhone(req.from)
  if (!from) {
    throw new NodeError(`${where}from ${JSON.stringify(req.from)} is neither a phone number in E.164 form (+14155550100) nor a Messaging Service SID (MG…)`, {
      code: 'INVALID_PHONE_NUMBER', field: 'from', details: item === undefined ? undefined : { item },
    })
  }
  const to = requirePhone(req.to, 'to', item)
  const mediaUrls = req.mediaUrls ?? []
  if (!req.body && mediaUrls.length === 0) throw new NodeError(`${where}the message is empty: give a body or media`, { code: 'EMPTY_MESSAGE', field: 'body' })
  if (req.body.length > MAX_SMS_BODY) {
    throw new NodeError(`${where}body has ${req.body.length} characters; Twilio takes at most ${MAX_SMS_BODY} per message`, { code: 'BODY_TOO_LONG', field: 'body', details: { length: req.body.length, max: MAX_SMS_BODY } })
  }
  if (mediaUrls.length > MAX_MMS_MEDIA) throw new NodeError(`${where}${mediaUrls.length} media; an MMS takes at most ${MAX_MMS_MEDIA}`, { code: 'TOO_MANY_MEDIA', field: 'media' })
  return { ...req, from, to, mediaUrls }
}

/**
 * Sends `req` (already checked) unless its key already sent it or the recipient opted out. A Twilio refusal that
 * retrying cannot fix (invalid number, unsubscribed…) marks the message failed and throws a non-retryable
 * NodeError; a retryable one (429, 5xx, network) leaves it pending so the retry sends it under the same key.
 */
export async function sendSms(
  client: Twilio,
  run: RunMessaging,
  req: SmsRequest,
  opts: { item?: number; beforeSend?: () => Promise<void> } = {},
): Promise<SmsOutcome> {
  const channel = req.mediaUrls?.length ? 'mms' : 'sms'
  const { record, created } = await run.prepare({
    channel, provider: 'twilio', from: req.from, to: req.to, body: req.body, content: req.mediaUrls?.length ? { media: req.mediaUrls.map((url) => ({ url })) } : undefined,
    credentialId: req.credentialId, campaignId: req.campaignId, idempotencyKey: req.idempotencyKey,
  })
  if (!created && (record.providerId || record.status !== 'pending')) {
    return { record, sentNow: false, optedOut: record.status === 'skipped' }
  }
  if (await run.isOptedOut('sms', req.to)) {
    const skipped = await run.refused(record.id, 'skipped', 'OPTED_OUT', `${req.to} opted out (replied STOP); nothing was sent`)
    return { record: skipped, sentNow: false, optedOut: true }
  }
  // Only what is really sent waits for the sender's rate slot (Bulk SMS): found or skipped messages take none.
  await opts.beforeSend?.()
  try {
    const sent = await client.messages.create({
      to: req.to,
      ...(SERVICE_SID.test(req.from) ? { messagingServiceSid: req.from } : { from: req.from }),
      body: req.body || undefined,
      mediaUrl: req.mediaUrls?.length ? req.mediaUrls : undefined,
      statusCallback: run.hookUrl(`twilio/status/${record.id}`),
    })
    return { record: await run.accepted(record.id, sent.sid, sent.status), sentNow: true, optedOut: false }
  } catch (err) {
    const e = twilioError(err, 'to', opts.item)
    if (e.retryable) throw e
    const code = (err as { code?: number }).code
    if (code === TWILIO_UNSUBSCRIBED) {
      await run.optOut('sms', req.to, 'carrier')
      const skipped = await run.refused(record.id, 'skipped', String(code), `${req.to} has unsubscribed from this sender (Twilio 21610); nothing was sent`)
      return { record: skipped, sentNow: false, optedOut: true }
    }
    await run.refused(record.id, 'failed', code ? String(code) : e.code, e.message)
    throw e
  }
}
