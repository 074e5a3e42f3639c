// Scheduled SMS campaigns: a body sent to a list of recipients at a wall-clock time in a time zone, at a set rate,
// cancellable until it starts. The MessagingCampaign row is the record; a delayed job (lib/queue/campaigns.ts) asks a
// worker to claim it at sendAt (scheduled → running, conditional: a cancelled campaign never sends) and send it
// (workers/runtime/campaigns.ts), every message under the key campaign:<id>:<recipient>, so a redelivered job
// sends nothing twice. Delivery counts are the campaign's Message rows grouped by status. Server only.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { env, requireRedisUrl } from '../env'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { createCampaignQueue, type CampaignQueue } from '../queue/campaigns'
import { redisConnection } from '../redis'
import { within } from '../services/fail-fast'
import { NodeError } from '../engine/types'
import { formatInZone, zonedToUtc } from './local-time'
import { normalizePhone } from './phone'
import { checkSms, MAX_MMS_MEDIA, MAX_SMS_BODY } from './sms-send'
import { log } from '../log'

const logger = log.child({ component: 'campaigns' })

/** Recipients one campaign may have. */
export const MAX_RECIPIENTS = 10_000
/** A campaign may start this soon at the earliest (tests schedule a few seconds ahead). */
const MIN_LEAD_MS = 1000

export const campaignInput = z.object({
  name: z.string().trim().min(1, 'give the campaign a name').max(200),
  credentialId: z.string().min(1, 'choose a Twilio credential'),
  from: z.string().trim().min(1, 'give the sender number (E.164) or Messaging Service SID'),
  body: z.string().max(MAX_SMS_BODY, `at most ${MAX_SMS_BODY} characters`).default(''),
  mediaUrls: z.array(z.string().url('not a URL')).max(MAX_MMS_MEDIA).default([]),
  /** One number a line (commas work too), or a list. */
  recipients: z.union([z.string(), z.array(z.string())]),
  ratePerSecond: z.coerce.number().positive('must be more than 0').max(100, 'at most 100 a second').default(1),
  /** Wall-clock time in `timeZone`: "2026-03-08T09:00". */
  sendAt: z.string().min(1, 'give the date and time to send at'),
  timeZone: z.string().min(1, 'give an IANA time zone such as America/New_York'),
})
export type CampaignInput = z.input<typeof campaignInput>

export interface RecipientReport {
  recipients: string[]
  /** Lines repeating an earlier number (removed). */
  duplicates: Array<{ line: number; value: string; firstLine: number }>
  invalid: Array<{ line: number; value: string }>
}

/** Recipients as typed: each normalised to E.164, repeats removed and reported, invalid ones reported with their line. */
export function parseRecipients(input: string | string[]): RecipientReport {
  const lines = Array.isArray(input) ? input : input.split(/\r?\n/)
  const seen = new Map<string, number>()
  const report: RecipientReport = { recipients: [], duplicates: [], invalid: [] }
  lines.forEach((raw, i) => {
    for (const value of raw.split(/[,;]/).map((v) => v.trim()).filter(Boolean)) {
      const line = i + 1
      const phone = normalizePhone(value)
      if (!phone) report.invalid.push({ line, value })
      else if (seen.has(phone)) report.duplicates.push({ line, value, firstLine: seen.get(phone)! })
      else {
        seen.set(phone, line)
        report.recipients.push(phone)
      }
    }
  })
  return report
}

const TIME_PROBLEMS = {
  format: 'give a date and time as YYYY-MM-DDTHH:mm',
  zone: 'not an IANA time zone (e.g. America/New_York)',
  nonexistent: 'this time does not exist on that day in this time zone (the clocks jump forward): choose another',
} as const

/** The UTC instant of `sendAt` in `timeZone`; refused (naming the field) when malformed or not in the future. */
export function campaignSendAt(sendAt: string, timeZone: string, now = Date.now()): Date {
  const at = zonedToUtc(sendAt, timeZone)
  if (at === 'zone') throw new ValidationError(`timeZone: ${TIME_PROBLEMS.zone}`, { timeZone: TIME_PROBLEMS.zone })
  if (typeof at === 'string') throw new ValidationError(`sendAt: ${TIME_PROBLEMS[at]}`, { sendAt: TIME_PROBLEMS[at] })
  if (at.getTime() < now + MIN_LEAD_MS) {
    const problem = `${sendAt} in ${timeZone} (${at.toISOString()}) has passed: choose a time in the future`
    throw new ValidationError(`sendAt: ${problem}`, { sendAt: problem })
  }
  return at
}

export interface CampaignDeps {
  prisma: PrismaClient
  /** Puts the campaign's job on the queue (the web process: webScheduleCampaign). */
  schedule(job: { campaignId: string; tenantId: string }, sendAt: Date): Promise<void>
  unschedule(campaignId: string): Promise<void>
}

export interface CampaignCounts {
  total: number
  /** Accepted by Twilio (whatever happened after). */
  sent: number
  delivered: number
  /** Refused, failed or undelivered. */
  failed: number
  /** Opted out. */
  skipped: number
  pending: number
  byStatus: Record<string, number>
}

const SENT = new Set(['queued', 'accepted', 'sending', 'sent', 'delivered', 'undelivered', 'read', 'receiving', 'received'])

function countsOf(byStatus: Record<string, number>, recipients: number): CampaignCounts {
  const sum = (pred: (s: string) => boolean) => Object.entries(byStatus).reduce((n, [s, c]) => (pred(s) ? n + c : n), 0)
  const recorded = sum(() => true)
  return {
    total: recipients,
    sent: sum((s) => SENT.has(s)),
    delivered: sum((s) => s === 'delivered' || s === 'read'),
    failed: sum((s) => s === 'failed' || s === 'undelivered'),
    skipped: sum((s) => s === 'skipped'),
    pending: recipients - recorded + (byStatus.pending ?? 0),
    byStatus,
  }
}

type CampaignRow = Awaited<ReturnType<PrismaClient['messagingCampaign']['findFirstOrThrow']>>

function view(row: CampaignRow, byStatus: Record<string, number>) {
  const recipients = row.recipients as string[]
  return {
    id: row.id, name: row.name, status: row.status, credentialId: row.credentialId, from: row.from, body: row.body,
    mediaUrls: row.mediaUrls as string[], recipientCount: recipients.length, ratePerSecond: row.ratePerSecond,
    sendAt: row.sendAt, timeZone: row.timeZone, localTime: row.localTime, sendAtLocal: formatInZone(row.sendAt, row.timeZone),
    error: row.error, createdAt: row.createdAt, startedAt: row.startedAt, finishedAt: row.finishedAt,
    counts: countsOf(byStatus, recipients.length),
  }
}
export type CampaignView = ReturnType<typeof view>

async function statusCounts(prisma: PrismaClient, tenantId: string, ids: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>(ids.map((id) => [id, {}]))
  if (ids.length === 0) return out
  const groups = await forTenant(prisma, tenantId).message.groupBy({ by: ['campaignId', 'status'], where: { campaignId: { in: ids } }, _count: { _all: true } })
  for (const g of groups) if (g.campaignId) out.get(g.campaignId)![g.status] = g._count._all
  return out
}

export async function createCampaign(deps: CampaignDeps, tenantId: string, userId: string | null, input: z.infer<typeof campaignInput>) {
  const report = parseRecipients(input.recipients)
  if (report.invalid.length > 0) {
    const list = report.invalid.slice(0, 5).map((i) => `line ${i.line}: ${JSON.stringify(i.value)}`).join('; ')
    const problem = `${report.invalid.length} not phone numbers in E.164 form (+14155550100): ${list}${report.invalid.length > 5 ? '; …' : ''}`
    throw new ValidationError(`recipients: ${problem}`, { recipients: problem }, { invalid: report.invalid, duplicates: report.duplicates })
  }
  if (report.recipients.length === 0) throw new ValidationError('recipients: give at least one phone number', { recipients: 'none given' })
  if (report.recipients.length > MAX_RECIPIENTS) throw new ValidationError(`recipients: at most ${MAX_RECIPIENTS} per campaign`, { recipients: `${report.recipients.length} given` })
  // The sender and body as a message would be checked, so a bad one is refused now rather than at sendAt.
  let from: string
  try {
    from = checkSms({ from: input.from, to: report.recipients[0], body: input.body, mediaUrls: input.mediaUrls, idempotencyKey: 'check' }).from
  } catch (err) {
    if (err instanceof NodeError) throw new ValidationError(`${err.field ?? 'body'}: ${err.message}`, { [err.field ?? 'body']: err.message })
    throw err
  }
  const sendAt = campaignSendAt(input.sendAt, input.timeZone)
  const db = forTenant(deps.prisma, tenantId)
  const credential = await db.credential.findFirst({ where: { id: input.credentialId }, select: { kind: true } })
  if (!credential || credential.kind !== 'twilio') {
    throw new ValidationError('credentialId: not a Twilio credential of this workspace', { credentialId: 'not a Twilio credential of this workspace' })
  }
  const row = await db.messagingCampaign.create({
    data: {
      tenantId, name: input.name, credentialId: input.credentialId, from, body: input.body, mediaUrls: input.mediaUrls,
      recipients: report.recipients, ratePerSecond: input.ratePerSecond, sendAt, timeZone: input.timeZone, localTime: input.sendAt.trim(), createdById: userId,
    },
  })
  // A job that could not be queued now is queued by the workers' recovery pass (workers/runtime/campaigns.ts).
  await deps.schedule({ campaignId: row.id, tenantId }, sendAt).catch((err) => logger.error({ tenantId, campaignId: row.id, err }, 'campaign not queued yet (the recovery pass will)'))
  return { campaign: view(row, {}), duplicates: report.duplicates }
}

export async function listCampaigns(prisma: PrismaClient, tenantId: string) {
  const rows = await forTenant(prisma, tenantId).messagingCampaign.findMany({ orderBy: [{ sendAt: 'desc' }, { id: 'desc' }], take: 200 })
  const counts = await statusCounts(prisma, tenantId, rows.map((r) => r.id))
  return { campaigns: rows.map((r) => view(r, counts.get(r.id)!)) }
}

export async function getCampaign(prisma: PrismaClient, tenantId: string, id: string) {
  const row = await forTenant(prisma, tenantId).messagingCampaign.findFirst({ where: { id } })
  if (!row) throw new NotFoundError('Campaign')
  const counts = await statusCounts(prisma, tenantId, [id])
  return { ...view(row, counts.get(id)!), recipients: row.recipients as string[] }
}

/** Only a campaign that has not started can be cancelled: the same conditional update the worker's claim races. */
export async function cancelCampaign(deps: CampaignDeps, tenantId: string, id: string) {
  const db = forTenant(deps.prisma, tenantId)
  const done = await db.messagingCampaign.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'cancelled', finishedAt: new Date() } })
  if (done.count === 0) {
    const row = await db.messagingCampaign.findFirst({ where: { id }, select: { status: true } })
    if (!row) throw new NotFoundError('Campaign')
    throw new ConflictError(`The campaign is ${row.status}: only a scheduled campaign can be cancelled`, { status: row.status })
  }
  await deps.unschedule(id).catch(() => undefined)
  return getCampaign(deps.prisma, tenantId, id)
}

/** A running campaign cannot be deleted (cancel it before it starts, or wait for it to finish); its messages stay in the log. */
export async function deleteCampaign(deps: CampaignDeps, tenantId: string, id: string) {
  const db = forTenant(deps.prisma, tenantId)
  const row = await db.messagingCampaign.findFirst({ where: { id }, select: { status: true } })
  if (!row) throw new NotFoundError('Campaign')
  const gone = await db.messagingCampaign.deleteMany({ where: { id, status: { not: 'running' } } })
  if (gone.count === 0) throw new ConflictError('The campaign is sending: wait for it to finish', { status: 'running' })
  await deps.unschedule(id).catch(() => undefined)
}

/** The web process's queue, for one request (campaigns are created rarely): a Redis that does not answer is a 503. */
export function webCampaignDeps(prisma: PrismaClient): CampaignDeps {
  const withQueue = async (fn: (q: CampaignQueue) => Promise<void>) => {
    const config = env()
    const timeoutMs = config.failFast.redisTimeoutMs
    const connection = { ...redisConnection(requireRedisUrl()), maxRetriesPerRequest: 1, connectTimeout: timeoutMs, enableOfflineQueue: false }
    const queue = createCampaignQueue({ connection, prefix: config.queuePrefix })
    try {
      await within(fn(queue), timeoutMs, 'redis')
    } finally {
      await queue.close().catch(() => undefined)
    }
  }
  return {
    prisma,
    schedule: (job, sendAt) => withQueue((q) => q.schedule(job, sendAt)),
    unschedule: (id) => withQueue((q) => q.unschedule(id)),
  }
}

