// Sending one WhatsApp message as the Send node does it: recorded in the Message table under an idempotency key (a
// retried step finds what it already sent and sends nothing twice), the opt-out list honoured, the 24-hour
// customer-service window checked for every type but templates, a media file checked against WhatsApp's limits and
// uploaded before the message that carries its id. Server only.
import { NodeError, type Item } from '../engine/types'
import type { RunFiles } from '../files/types'
import { getPath } from '../nodes/paths'
import type { GraphClient } from './whatsapp-graph'
import { windowClosedError } from './whatsapp-graph'
import { checkWhatsAppMedia, type BuiltWhatsAppMessage } from './whatsapp-message'
import type { MessageRecord, RunMessaging } from './types'

/** The customer-service window: free-form messages up to 24 hours after the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000

export interface WhatsAppSendRequest {
  message: BuiltWhatsAppMessage
  /** The item the message is for (a media file is read from it). */
  item: Item
  idempotencyKey: string
  credentialId?: string
  /** Check the window before a free-form message (on by default in the node). */
  checkWindow: boolean
  index?: number
}

export interface WhatsAppOutcome {
  record: MessageRecord
  sentNow: boolean
  optedOut: boolean
}

function storedFailure(record: MessageRecord, index?: number): NodeError {
  const where = index === undefined ? '' : `Item ${index}: `
  return new NodeError(`${where}${record.errorMessage ?? 'This message was refused before'}`, {
    code: record.errorCode ?? 'WHATSAPP_FAILED', field: record.errorCode === 'WHATSAPP_WINDOW_CLOSED' ? 'type' : 'to', details: { messageId: record.id },
  })
}

async function assertWindowOpen(run: RunMessaging, phoneNumberId: string, waId: string, index?: number): Promise<void> {
  const last = await run.lastInbound(phoneNumberId, waId)
  if (!last || Date.now() - last.getTime() > WHATSAPP_WINDOW_MS) throw windowClosedError(last, index)
}

export async function sendWhatsApp(graph: GraphClient, run: RunMessaging, files: () => RunFiles, req: WhatsAppSendRequest): Promise<WhatsAppOutcome> {
  const { message: m, index } = req
  const phoneNumberId = graph.cred.phoneNumberId
  const { record, created } = await run.prepare({
    channel: 'whatsapp', provider: 'whatsapp', from: phoneNumberId, to: m.to, body: m.summary,
    content: { type: m.type, apiType: m.apiType, [m.apiType]: m.payload }, credentialId: req.credentialId, idempotencyKey: req.idempotencyKey,
  })
  if (!created && record.providerId) return { record, sentNow: false, optedOut: false }
  if (!created && record.status === 'skipped') return { record, sentNow: false, optedOut: true }
  if (!created && record.status === 'failed') throw storedFailure(record, index)

  if (await run.isOptedOut('whatsapp', m.to)) {
    const skipped = await run.refused(record.id, 'skipped', 'OPTED_OUT', `${m.to} opted out of WhatsApp messages; nothing was sent`)
    return { record: skipped, sentNow: false, optedOut: true }
  }
  try {
    if (req.checkWindow && m.type !== 'template') await assertWindowOpen(run, phoneNumberId, m.waId, index)
    const payload = { ...m.payload }
    if (m.file) {
      const opened = await files().open(getPath(req.item, m.file.field, 'fileField'), m.file.field)
      checkWhatsAppMedia(m.file.kind, opened.ref, m.file.field, index)
      payload.id = await graph.upload(files(), req.item, m.file.field, opened.ref.mimeType.split(';')[0].trim(), index)
      if (m.file.kind === 'document' && !payload.filename) payload.filename = opened.ref.name
    }
    const sent = await graph.send(m.waId, m.apiType, payload, record.id, index)
    return { record: await run.accepted(record.id, sent.wamid, 'accepted'), sentNow: true, optedOut: false }
  } catch (err) {
    // Retryable (throttled, 5xx, network): the row stays pending and the retry sends it under the same key.
    if (err instanceof NodeError && err.retryable) throw err
    const e = err instanceof NodeError ? err : new NodeError(String((err as Error)?.message ?? err), { code: 'WHATSAPP_FAILED', cause: err })
    const graphCode = (e.details as { graphCode?: number } | undefined)?.graphCode
    await run.refused(record.id, 'failed', graphCode ? String(graphCode) : e.code, e.message)
    throw e
  }
}
