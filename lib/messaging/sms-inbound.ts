// An inbound SMS/MMS starting a workflow (app/api/hooks/twilio/sms/<workflowId>/<nodeId>): the On SMS received
// trigger's live registration names the workspace and its Twilio credential, whose auth token must have signed the
// request; the message is recorded once (its MessageSid is unique per workspace, so Twilio's retry of the same
// request starts nothing twice); STOP-type keywords put the sender on the opt-out list and START-type keywords take
// them off, and the run still starts so the workflow can answer or log it. Server only.
import type { PrismaClient } from '../db/generated/client'
import type { Item } from '../engine/types'
import { AppError } from '../errors'
import { startExecution, type ExecutionDeps } from '../services/executions'
import { findHookRegistration, assertTwilioSignature, twilioAuthToken, type LoadCredential, type TwilioHookRequest } from './hooks'
import { normalizePhone } from './phone'
import { receiveOnce } from './store'

export const SMS_TRIGGER_TYPE = 'twilio-sms-trigger'

/** Twilio's own opt-out and opt-in keywords (the whole message, any case). */
export const STOP_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const
export const START_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const

export function optOutKeyword(body: string): 'stop' | 'start' | null {
  const word = body.trim().toUpperCase()
  if ((STOP_KEYWORDS as readonly string[]).includes(word)) return 'stop'
  if ((START_KEYWORDS as readonly string[]).includes(word)) return 'start'
  return null
}

export interface InboundSms {
  from: string
  to: string
  body: string
  media: { url: string; contentType: string | null }[]
  optOut: 'stop' | 'start' | null
  messageSid: string
  accountSid: string
  messageId: string
  fromCity: string | null
  fromState: string | null
  fromCountry: string | null
  receivedAt: string
}

export interface InboundResult {
  /** The run started, or null: a replay, or a message for another number than the trigger's. */
  executionId: string | null
  replay: boolean
}

interface TriggerConfig {
  credential?: string
  number?: string
}

/** The run item: what Twilio posted, named plainly (media URLs as Twilio gives them). */
/** STOP-type keywords put `address` on the workspace's opt-out list for the channel; START-type take it off. */
export async function applyOptOutKeyword(prisma: PrismaClient, tenantId: string, channel: 'sms' | 'whatsapp', address: string, keyword: 'stop' | 'start' | null): Promise<void> {
  if (keyword === 'stop') {
    await prisma.messagingOptOut.upsert({
      where: { tenantId_channel_address: { tenantId, channel, address } },
      create: { tenantId, channel, address, source: 'keyword' },
      update: {},
    })
  } else if (keyword === 'start') {
    await prisma.messagingOptOut.deleteMany({ where: { tenantId, channel, address } })
  }
}

export function inboundItem(params: Record<string, string>, messageId: string, receivedAt: Date): InboundSms {
  const count = Math.min(Number(params.NumMedia ?? 0) || 0, 10)
  const media = Array.from({ length: count }, (_, i) => ({ url: params[`MediaUrl${i}`] ?? '', contentType: params[`MediaContentType${i}`] ?? null })).filter((m) => m.url)
  const body = params.Body ?? ''
  return {
    from: params.From ?? '', to: params.To ?? '', body, media, optOut: optOutKeyword(body), messageSid: params.MessageSid ?? params.SmsSid ?? '',
    accountSid: params.AccountSid ?? '', messageId, fromCity: params.FromCity ?? null, fromState: params.FromState ?? null,
    fromCountry: params.FromCountry ?? null, receivedAt: receivedAt.toISOString(),
  }
}

export async function receiveSms(deps: ExecutionDeps, load: LoadCredential, hook: TwilioHookRequest, workflowId: string, nodeId: string): Promise<InboundResult> {
  const { prisma } = deps
  const reg = await findHookRegistration(prisma, workflowId, nodeId, [SMS_TRIGGER_TYPE])
  const config = (reg.config ?? {}) as TriggerConfig
  await assertTwilioSignature(hook, await twilioAuthToken(load, reg.tenantId, config.credential))
  const sid = hook.params.MessageSid ?? hook.params.SmsSid
  if (!sid) throw new AppError(400, 'MISSING_FIELD', 'MessageSid is missing', { fields: { MessageSid: 'required' } })
  const from = normalizePhone(hook.params.From) ?? hook.params.From ?? ''
  const to = normalizePhone(hook.params.To) ?? hook.params.To ?? ''
  if (config.number && normalizePhone(config.number) !== to) return { executionId: null, replay: false }

  const receivedAt = new Date()
  const params: Record<string, string> = { ...hook.params, From: from, To: to }
  const media = inboundItem(params, '', receivedAt).media
  const executionId = await receiveOnce(
    prisma,
    {
      tenantId: reg.tenantId, channel: media.length ? 'mms' : 'sms', provider: 'twilio', providerId: sid, from, to, body: params.Body ?? '',
      content: media.length ? { media } : undefined, credentialId: config.credential ?? null, nodeId,
    },
    async (messageId) => {
      const item = inboundItem(params, messageId, receivedAt)
      await applyOptOutKeyword(prisma, reg.tenantId, 'sms', from, item.optOut)
      return startExecution(deps, {
        tenantId: reg.tenantId, workflowId: reg.workflowId, versionId: reg.versionId, versionNumber: reg.versionNumber,
        input: [item as unknown as Item], mode: 'messaging', triggerNodeId: reg.nodeId,
      })
    },
  )
  if (!executionId) return { executionId: null, replay: true }
  return { executionId, replay: false }
}
