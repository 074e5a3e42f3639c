// The messaging host service (server side): the Message table as the record of everything sent and received,
// the opt-out list, the per-sender rate limit (in Redis, shared by every worker) and signed media URLs.
import crypto from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Prisma, PrismaClient } from '../db/generated/client'
import type { FileRef } from '../files/ref'
import { cancellableSleep } from '../services/cancellable-sleep'
import { advances, isFinal } from './status'
import type { MessageRecord, MessagingHost, OutboundMessage, RunMessaging } from './types'
import { createRunVoice } from './voice-store'

export interface MessagingStoreOptions {
  prisma: PrismaClient
  redis: Redis
  /** The studio's public origin (providers call its /api/hooks/… URLs). */
  publicUrl: string
  /** Signs media URLs (lib/messaging/media-url.ts). */
  signingSecret: string
  /** How often a waiting step looks at its message again. */
  pollMs?: number
  keyPrefix?: string
}

const SELECT = {
  id: true, channel: true, direction: true, provider: true, providerId: true, from: true, to: true, body: true,
  status: true, errorCode: true, errorMessage: true, createdAt: true, updatedAt: true,
} as const

// Each call: the next free slot of the sender (ms, Redis clock), moved on by one gap. Returns the slot to wait for.
const RATE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gap = tonumber(ARGV[1])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextFree)
redis.call('SET', KEYS[1], tostring(slot + gap), 'PX', math.floor(slot - now + gap + 60000))
return {tostring(slot), tostring(now)}
`

export function createMessagingHost(opts: MessagingStoreOptions): MessagingHost {
  const { prisma, redis } = opts
  const pollMs = opts.pollMs ?? 250
  const prefix = opts.keyPrefix ?? 'auterity'
  const origin = opts.publicUrl.replace(/\/+$/, '')
  return {
    forRun({ tenantId, executionId, nodeId }): RunMessaging {
      const load = (id: string) => prisma.message.findFirstOrThrow({ where: { id, tenantId }, select: SELECT }) as Promise<MessageRecord>
      return {
        tenantId,
        executionId,
        voice: createRunVoice(prisma, { tenantId, executionId, origin, pollMs: Math.min(pollMs, 150) }),
        async prepare(msg: OutboundMessage) {
          const existing = await prisma.message.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: msg.idempotencyKey } }, select: SELECT })
          if (existing) return { record: existing as MessageRecord, created: false }
          try {
            const record = await prisma.message.create({
              data: {
                tenantId, channel: msg.channel, direction: 'outbound', provider: msg.provider, from: msg.from, to: msg.to,
                body: msg.body ?? null, content: (msg.content ?? undefined) as object | undefined, status: 'pending',
                credentialId: msg.credentialId, campaignId: msg.campaignId, executionId, nodeId, idempotencyKey: msg.idempotencyKey,
                statusHistory: [{ status: 'pending', at: new Date().toISOString() }],
              },
              select: SELECT,
            })
            return { record: record as MessageRecord, created: true }
          } catch (err) {
            // Two attempts at once: the other made it.
            if ((err as { code?: string }).code !== 'P2002') throw err
            const again = await prisma.message.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: msg.idempotencyKey } }, select: SELECT })
            return { record: again as MessageRecord, created: false }
          }
        },
        async accepted(id, providerId, status) {
          const current = await load(id)
          // A status callback may have beaten the API's answer here: keep whichever status is further on.
          const next = advances(current.status, status, current.channel) ? status : current.status
          await prisma.message.updateMany({ where: { id, tenantId }, data: { providerId, status: next } })
          await appendStatus(prisma, tenantId, id, status, null)
          return load(id)
        },
        async refused(id, status, errorCode, errorMessage) {
          await prisma.message.updateMany({ where: { id, tenantId }, data: { status, errorCode, errorMessage } })
          await appendStatus(prisma, tenantId, id, status, errorCode)
          return load(id)
        },
        async waitForFinal(id, timeoutMs, signal) {
          const deadline = Date.now() + timeoutMs
          for (;;) {
            const record = await load(id)
            if (isFinal(record.status, record.channel) || Date.now() >= deadline) return record
            await cancellableSleep(Math.min(pollMs, Math.max(1, deadline - Date.now())), signal)
          }
        },
        async isOptedOut(channel, address) {
          const row = await prisma.messagingOptOut.findUnique({ where: { tenantId_channel_address: { tenantId, channel, address } } })
          return row !== null
        },
        async optedOut(channel, addresses) {
          if (addresses.length === 0) return new Set()
          const rows = await prisma.messagingOptOut.findMany({ where: { tenantId, channel, address: { in: addresses } }, select: { address: true } })
          return new Set(rows.map((r) => r.address))
        },
        async optOut(channel, address, source) {
          await prisma.messagingOptOut.upsert({
            where: { tenantId_channel_address: { tenantId, channel, address } },
            create: { tenantId, channel, address, source },
            update: {},
          })
        },
        async optIn(channel, address) {
          await prisma.messagingOptOut.deleteMany({ where: { tenantId, channel, address } })
        },
        async rateSlot(sender, perSecond, signal) {
          const gap = Math.max(1, Math.round(1000 / perSecond))
          const [slot, now] = (await redis.eval(RATE_SCRIPT, 1, `${prefix}:msg:rate:${tenantId}:${sender}`, String(gap))) as [string, string]
          const wait = Number(slot) - Number(now)
          if (wait > 0) await cancellableSleep(wait, signal)
        },
        mediaUrl(ref: FileRef, ttlSeconds = 3600) {
          return `${origin}${signMediaPath(opts.signingSecret, tenantId, ref.$file, Math.floor(Date.now() / 1000) + ttlSeconds)}`
        },
        hookUrl(path) {
          return `${origin}/api/hooks/${path.replace(/^\/+/, '')}`
        },
        async lastInbound(phoneNumberId, waId) {
          const row = await prisma.whatsAppContact.findUnique({ where: { tenantId_phoneNumberId_waId: { tenantId, phoneNumberId, waId } } })
          return row?.lastInboundAt ?? null
        },
      }
    },
  }
}

async function appendStatus(prisma: PrismaClient, tenantId: string, id: string, status: string, errorCode: string | null): Promise<void> {
  const entry = JSON.stringify([{ status, at: new Date().toISOString(), ...(errorCode ? { errorCode } : {}) }])
  await prisma.$executeRaw`UPDATE "Message" SET "statusHistory" = "statusHistory" || ${entry}::jsonb WHERE id = ${id} AND "tenantId" = ${tenantId}`
}

/**
 * A provider's status callback: moves the message forward (never back) and records the status once. Returns
 * whether anything changed; a replay or a late, overtaken callback returns false and leaves the row alone.
 */
export async function applyStatus(
  prisma: PrismaClient,
  where: { tenantId: string; provider: string; providerId: string },
  update: { status: string; errorCode?: string | null; errorMessage?: string | null },
): Promise<{ changed: boolean; message: MessageRecord | null }> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Message" WHERE "tenantId" = ${where.tenantId} AND provider = ${where.provider} AND "providerId" = ${where.providerId} FOR UPDATE`
    if (rows.length === 0) return { changed: false, message: null }
    const current = (await tx.message.findUniqueOrThrow({ where: { id: rows[0].id }, select: SELECT })) as MessageRecord
    if (!advances(current.status, update.status, current.channel)) return { changed: false, message: current }
    const entry = JSON.stringify([{ status: update.status, at: new Date().toISOString(), ...(update.errorCode ? { errorCode: update.errorCode } : {}) }])
    await tx.$executeRaw`UPDATE "Message" SET status = ${update.status}, "errorCode" = COALESCE(${update.errorCode ?? null}, "errorCode"), "errorMessage" = COALESCE(${update.errorMessage ?? null}, "errorMessage"), "statusHistory" = "statusHistory" || ${entry}::jsonb, "updatedAt" = now() WHERE id = ${current.id}`
    const message = (await tx.message.findUniqueOrThrow({ where: { id: current.id }, select: SELECT })) as MessageRecord
    return { changed: true, message }
  })
}

/** What an inbound message's row holds besides what every inbound row holds (direction, status, history). */
export type InboundMessage = Omit<Prisma.MessageUncheckedCreateInput, 'direction' | 'status' | 'statusHistory'> & { providerId: string }

/**
 * An inbound message, recorded once per provider id (MessageSid, wamid), then its run started by `start` and linked.
 * A provider's retry of the same request finds the row and starts nothing: null. When the run cannot start, the row
 * is removed again, so the provider's retry is not taken for a replay.
 */
export async function receiveOnce(prisma: PrismaClient, data: InboundMessage, start: (messageId: string) => Promise<string>): Promise<string | null> {
  let id: string
  try {
    const row = await prisma.message.create({
      data: { ...data, direction: 'inbound', status: 'received', statusHistory: [{ status: 'received', at: new Date().toISOString() }] },
      select: { id: true },
    })
    id = row.id
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return null
    throw err
  }
  let executionId: string
  try {
    executionId = await start(id)
  } catch (err) {
    await prisma.message.delete({ where: { id } }).catch(() => undefined)
    throw err
  }
  await prisma.message.update({ where: { id }, data: { executionId } })
  return executionId
}

/** `/api/hooks/media/<fileId>?t=<tenant>&e=<expires>&s=<signature>`: what Twilio fetches for MMS media from a file. */
export function signMediaPath(secret: string, tenantId: string, fileId: string, expires: number): string {
  const s = crypto.createHmac('sha256', secret).update(`media\n${tenantId}\n${fileId}\n${expires}`).digest('base64url')
  return `/api/hooks/media/${encodeURIComponent(fileId)}?t=${encodeURIComponent(tenantId)}&e=${expires}&s=${s}`
}

/** The tenant a signed media path is for, or null when the signature is wrong or expired. */
export function verifyMediaPath(secret: string, fileId: string, q: { t?: string | null; e?: string | null; s?: string | null }, now = Date.now()): string | null {
  if (!q.t || !q.e || !q.s || !/^\d+$/.test(q.e)) return null
  if (Number(q.e) * 1000 < now) return null
  const want = crypto.createHmac('sha256', secret).update(`media\n${q.t}\n${fileId}\n${q.e}`).digest()
  const got = Buffer.from(q.s, 'base64url')
  return got.length === want.length && crypto.timingSafeEqual(got, want) ? q.t : null
}
