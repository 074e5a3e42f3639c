// The workspace's message log (every SMS, MMS, WhatsApp message and call recorded in the Message table), a run's
// conversation (its messages and calls in time order) and the opt-out list, as the studio's pages and the API read
// them. Every query is scoped to the workspace (forTenant). docs/messaging-studio.md.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { NotFoundError, ValidationError } from '../errors'
import { normalizePhone } from '../messaging/phone'
import { afterCursor, keysetPage } from './cursor'
import { parseDate } from './executions'

export const listMessagesQuery = z.object({
  channel: z.enum(['sms', 'mms', 'whatsapp', 'voice']).optional(),
  direction: z.enum(['outbound', 'inbound']).optional(),
  status: z.string().max(40).optional(),
  /** Part of the from or to number (or WhatsApp id). */
  number: z.string().max(40).optional(),
  executionId: z.string().max(100).optional(),
  campaignId: z.string().max(100).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

const LIST_SELECT = {
  id: true, channel: true, direction: true, provider: true, providerId: true, from: true, to: true, body: true, status: true,
  errorCode: true, errorMessage: true, executionId: true, nodeId: true, campaignId: true, createdAt: true, updatedAt: true,
} as const

export async function listMessages(prisma: PrismaClient, tenantId: string, q: z.infer<typeof listMessagesQuery>) {
  const number = q.number?.trim().replace(/[\s().-]/g, '')
  const rows = await forTenant(prisma, tenantId).message.findMany({
    where: {
      channel: q.channel,
      direction: q.direction,
      status: q.status || undefined,
      executionId: q.executionId,
      campaignId: q.campaignId,
      createdAt: q.since || q.until ? { gte: parseDate(q.since, 'since'), lt: parseDate(q.until, 'until') } : undefined,
      AND: [
        number ? { OR: [{ from: { contains: number } }, { to: { contains: number } }] } : {},
        { OR: afterCursor(q.cursor, 'createdAt') },
      ],
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
    select: LIST_SELECT,
  })
  const { page, nextCursor } = keysetPage(rows, q.limit, (r) => r.createdAt)
  return { messages: page, nextCursor }
}

export async function getMessage(prisma: PrismaClient, tenantId: string, id: string) {
  const row = await forTenant(prisma, tenantId).message.findFirst({ where: { id }, select: { ...LIST_SELECT, content: true, statusHistory: true, credentialId: true } })
  if (!row) throw new NotFoundError('Message')
  return row
}

/** Most messages and calls one run's conversation shows. */
const CONVERSATION_LIMIT = 500

/** What one run sent and received, oldest first: messages (SMS, MMS, WhatsApp) and calls with their gathered inputs. */
export async function runConversation(prisma: PrismaClient, tenantId: string, executionId: string) {
  const db = forTenant(prisma, tenantId)
  const run = await db.execution.findFirst({ where: { id: executionId }, select: { id: true, status: true } })
  if (!run) throw new NotFoundError('Execution')
  const [messages, calls] = await Promise.all([
    db.message.findMany({ where: { executionId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: CONVERSATION_LIMIT, select: { ...LIST_SELECT, content: true, statusHistory: true } }),
    db.voiceCall.findMany({
      where: { executionId }, orderBy: { createdAt: 'asc' }, take: CONVERSATION_LIMIT,
      select: { id: true, callSid: true, direction: true, from: true, to: true, status: true, inputs: true, createdAt: true, updatedAt: true },
    }),
  ])
  return { executionId, status: run.status, messages, calls }
}

export const optOutsQuery = z.object({
  channel: z.enum(['sms', 'whatsapp']).optional(),
  /** Part of the number. */
  q: z.string().max(40).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const optOutBody = z.object({
  channel: z.enum(['sms', 'whatsapp']).default('sms'),
  address: z.string().min(1, 'give a phone number in E.164 form (+14155550100)').max(40),
})

export async function listOptOuts(prisma: PrismaClient, tenantId: string, q: z.infer<typeof optOutsQuery>) {
  const rows = await forTenant(prisma, tenantId).messagingOptOut.findMany({
    where: { channel: q.channel, address: q.q ? { contains: q.q.replace(/[\s().-]/g, '') } : undefined, OR: afterCursor(q.cursor, 'createdAt')?.map(byAddress) },
    orderBy: [{ createdAt: 'desc' }, { address: 'desc' }],
    take: q.limit + 1,
    select: { channel: true, address: true, source: true, createdAt: true },
  })
  const { page, nextCursor } = keysetPage(rows.map((r) => ({ ...r, id: r.address })), q.limit, (r) => r.createdAt)
  return { optOuts: page.map(({ id: _id, ...r }) => r), nextCursor }
}

/** The keyset helpers order by id; opt-outs have none, their address plays that part. */
function byAddress(cond: Record<string, unknown>): Record<string, unknown> {
  const { id, ...rest } = cond as { id?: { lt: string } }
  return id ? { ...rest, address: id } : rest
}

function requireAddress(address: string): string {
  const phone = normalizePhone(address)
  if (!phone) throw new ValidationError(`address: ${JSON.stringify(address)} is not a phone number in E.164 form (+14155550100)`, { address: 'not a phone number in E.164 form' })
  return phone
}

/** Adds a number by hand (source `manual`); adding one already there changes nothing. */
export async function addOptOut(prisma: PrismaClient, tenantId: string, body: z.infer<typeof optOutBody>) {
  const address = requireAddress(body.address)
  const row = await forTenant(prisma, tenantId).messagingOptOut.upsert({
    where: { tenantId_channel_address: { tenantId, channel: body.channel, address } },
    create: { tenantId, channel: body.channel, address, source: 'manual' },
    update: {},
    select: { channel: true, address: true, source: true, createdAt: true },
  })
  return row
}

/** Messages go to the number again (as after START). 404 when it was not on the list. */
export async function removeOptOut(prisma: PrismaClient, tenantId: string, body: z.infer<typeof optOutBody>) {
  const address = requireAddress(body.address)
  const gone = await forTenant(prisma, tenantId).messagingOptOut.deleteMany({ where: { channel: body.channel, address } })
  if (gone.count === 0) throw new NotFoundError('Opt-out')
}
