// The WhatsApp trigger's webhook (/api/hooks/whatsapp/<workflowId>/<nodeId>): the subscription handshake against the
// credential's verify token, X-Hub-Signature-256 over the raw body against its app secret (timing-safe), then per
// change for the credential's number: inbound messages open the 24-hour window (WhatsAppContact), are recorded once
// per wamid (a replayed webhook starts nothing twice) and start a run; statuses move the workspace's outbound
// records forward (applyStatus) and, when the trigger asks, start a run too. Server only.
import { applyOptOutKeyword, optOutKeyword } from './sms-inbound'
import crypto from 'node:crypto'
import type { PrismaClient } from '../db/generated/client'
import type { CredentialData, Item } from '../engine/types'
import { AppError, ValidationError } from '../errors'
import { startExecution, type ExecutionDeps } from '../services/executions'
import { findHookRegistration } from './hooks'
import { applyStatus, receiveOnce } from './store'
import { whatsappCredential, type WhatsAppCredential } from './whatsapp-graph'
import { inboundItem, statusItem, type WebhookPayload, type WebhookStatus } from './whatsapp-webhook'

export interface WhatsAppHookDeps extends ExecutionDeps {
  getCredential(tenantId: string, id: string): Promise<CredentialData>
}

const TRIGGER_TYPES = ['whatsapp-trigger']

async function triggerOf(deps: WhatsAppHookDeps, workflowId: string, nodeId: string) {
  const reg = await findHookRegistration(deps.prisma, workflowId, nodeId, TRIGGER_TYPES)
  const config = reg.config as { credential?: string; statuses?: boolean }
  const credentialId = config.credential
  const cred = credentialId ? await deps.getCredential(reg.tenantId, credentialId).catch(() => undefined) : undefined
  let whatsapp: WhatsAppCredential
  try {
    whatsapp = whatsappCredential(cred)
  } catch {
    throw new AppError(403, 'NO_CREDENTIAL', 'This trigger has no usable WhatsApp credential')
  }
  return { reg, cred: whatsapp, credentialId: credentialId!, statuses: config.statuses === true }
}

function sameSecret(given: string, want: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest()
  const b = crypto.createHash('sha256').update(want).digest()
  return crypto.timingSafeEqual(a, b)
}

/** GET: Meta's subscription handshake. The challenge to echo, or 403. */
export async function verifyWhatsAppSubscription(deps: WhatsAppHookDeps, workflowId: string, nodeId: string, query: URLSearchParams): Promise<string> {
  const { cred } = await triggerOf(deps, workflowId, nodeId)
  const token = query.get('hub.verify_token') ?? ''
  if (query.get('hub.mode') !== 'subscribe' || !cred.verifyToken || !sameSecret(token, cred.verifyToken)) {
    throw new AppError(403, 'BAD_VERIFY_TOKEN', cred.verifyToken ? 'hub.verify_token does not match the credential\'s verify token' : 'The credential has no verify token')
  }
  return query.get('hub.challenge') ?? ''
}

/** X-Hub-Signature-256: `sha256=` + the hex HMAC-SHA256 of the raw body with the app secret. */
export function validHubSignature(appSecret: string, rawBody: string | Buffer, header: string | null | undefined): boolean {
  if (!header || !header.startsWith('sha256=')) return false
  const given = Buffer.from(header.slice(7), 'hex')
  const want = crypto.createHmac('sha256', appSecret).update(rawBody).digest()
  return given.length === want.length && crypto.timingSafeEqual(given, want)
}

export interface WhatsAppHookResult {
  messages: number
  statuses: number
  started: string[]
}

/** POST: a signed notification. Checks the signature before reading anything else of it. */
export async function receiveWhatsAppWebhook(deps: WhatsAppHookDeps, workflowId: string, nodeId: string, rawBody: string, signature: string | null): Promise<WhatsAppHookResult> {
  const { reg, cred, credentialId, statuses } = await triggerOf(deps, workflowId, nodeId)
  if (!cred.appSecret) throw new AppError(403, 'BAD_SIGNATURE', 'The credential has no app secret to check X-Hub-Signature-256 with')
  if (!validHubSignature(cred.appSecret, rawBody, signature)) {
    throw new AppError(403, 'BAD_SIGNATURE', signature ? 'X-Hub-Signature-256 does not match this body' : 'X-Hub-Signature-256 is missing')
  }
  let payload: WebhookPayload
  try {
    payload = JSON.parse(rawBody) as WebhookPayload
  } catch {
    throw new ValidationError('The body is not JSON', { '(body)': 'not JSON' })
  }
  const result: WhatsAppHookResult = { messages: 0, statuses: 0, started: [] }
  const start = async (item: Item) => {
    const id = await startExecution(deps, {
      tenantId: reg.tenantId, workflowId: reg.workflowId, versionId: reg.versionId, versionNumber: reg.versionNumber,
      input: [item], mode: 'messaging', triggerNodeId: reg.nodeId,
    })
    result.started.push(id)
    return id
  }
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const value = change.value
      if (change.field !== 'messages' || !value || value.metadata?.phone_number_id !== cred.phoneNumberId) continue
      for (const m of value.messages ?? []) {
        const item = inboundItem(m, value)
        result.messages++
        await recordInbound(deps.prisma, reg.tenantId, credentialId, item, start)
      }
      for (const s of value.statuses ?? []) {
        const item = statusItem(s, value)
        result.statuses++
        const { changed, message } = await recordStatus(deps.prisma, reg.tenantId, s)
        if (changed && message && statuses) await start({ ...item, recordId: message.id })
      }
    }
  }
  return result
}

/**
 * Forward-only on the workspace's record with this wamid. A status that arrives before the send's answer was recorded
 * finds its record by the id the send put in biz_opaque_callback_data (still without a wamid, in this workspace).
 */
async function recordStatus(prisma: PrismaClient, tenantId: string, s: WebhookStatus) {
  const first = s.errors?.[0]
  const update = { status: s.status, errorCode: first?.code !== undefined ? String(first.code) : null, errorMessage: first ? [first.title, first.error_data?.details ?? first.message].filter(Boolean).join(': ') : null }
  const where = { tenantId, provider: 'whatsapp', providerId: s.id }
  const result = await applyStatus(prisma, where, update)
  if (result.message || !s.biz_opaque_callback_data) return result
  const claimed = await prisma.message.updateMany({ where: { id: s.biz_opaque_callback_data, tenantId, provider: 'whatsapp', direction: 'outbound', providerId: null }, data: { providerId: s.id } })
  return claimed.count ? applyStatus(prisma, where, update) : result
}

/** The window opens (never moves back), the message is recorded once, and only a first sighting starts a run. */
async function recordInbound(prisma: PrismaClient, tenantId: string, credentialId: string, item: ReturnType<typeof inboundItem>, start: (item: Item) => Promise<string>) {
  const at = new Date(Math.min(Date.parse(item.timestamp), Date.now()))
  await prisma.$executeRaw`
    INSERT INTO "WhatsAppContact" ("tenantId", "phoneNumberId", "waId", name, "lastInboundAt")
    VALUES (${tenantId}, ${item.phoneNumberId}, ${item.waId}, ${item.name}, ${at})
    ON CONFLICT ("tenantId", "phoneNumberId", "waId") DO UPDATE
    SET "lastInboundAt" = GREATEST("WhatsAppContact"."lastInboundAt", EXCLUDED."lastInboundAt"), name = COALESCE(EXCLUDED.name, "WhatsAppContact".name)`
  await receiveOnce(
    prisma,
    {
      tenantId, channel: 'whatsapp', provider: 'whatsapp', providerId: item.messageId, from: item.from,
      to: item.displayPhoneNumber ? `+${item.displayPhoneNumber.replace(/\D/g, '')}` : item.phoneNumberId, body: item.text,
      content: item as object, credentialId,
    },
    async () => {
      // STOP / START in a text message: as for SMS, the customer leaves or rejoins the workspace's WhatsApp list.
      if (item.type === 'text' && item.text) await applyOptOutKeyword(prisma, tenantId, 'whatsapp', item.from, optOutKeyword(item.text))
      return start(item)
    },
  )
}
