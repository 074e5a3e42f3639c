// Publishing events. One transaction inserts the events and one EventDelivery per matching subscriber (an active
// workflow's Event trigger registration: kind 'event', key = the name, same tenant, filter passing the payload);
// after it commits, one delivery job per delivery is enqueued (lib/queue/events.ts). A lost enqueue is not lost
// work: the worker's recovery pass enqueues pending deliveries that stayed due for too long.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { storableJson } from '../db/json'
import { NodeError, type CodeRunner } from '../engine/types'
import { eventNameSchema, type EventTriggerParams } from '../nodes/event-trigger/definition'
import type { EventHost, PublishedEvent } from '../nodes/publish-event/host'
import type { EventDeliveryQueue } from '../queue/events'
import { zodToValidationError } from '../http/route'
import { payloadMatches } from './event-filter'
import { forTenant } from '../db/scope'
import { ConflictError, NotFoundError } from '../errors'
import { decodeCursor, encodeCursor } from './cursor'

export interface EventBusDeps {
  prisma: PrismaClient
  deliveries: Pick<EventDeliveryQueue, 'enqueue'>
  /** The sandbox for filters that need one (expressions beyond plain paths, regex); asked for only then. */
  sandbox: () => CodeRunner
  /** Longest chain of events publishing events (default MAX_EVENT_DEPTH). */
  maxDepth?: number
}

/** A run started by an event of depth 25 may still publish (depth 26); one more is refused. */
export const MAX_EVENT_DEPTH = 25

export interface EventToPublish {
  name: string
  payload: unknown
  /** Publishing the same key again (in the same tenant) returns the first event instead of a second one. */
  dedupeKey?: string
}

export interface EventSource {
  executionId: string
  workflowId: string
}

/** A retry waits the trigger's first delay, doubled per attempt, at most this long. */
export const MAX_RETRY_DELAY_MS = 3_600_000

interface Subscriber {
  workflowId: string
  nodeId: string
  versionId: string
  config: EventTriggerParams
}

/** Publishes `events` in order; bad names are refused (naming `name`, or `events.<i>.name`) before anything is written. */
export async function publishEvents(deps: EventBusDeps, tenantId: string, source: EventSource | null, events: EventToPublish[]): Promise<PublishedEvent[]> {
  for (const [i, e] of events.entries()) {
    const parsed = eventNameSchema.safeParse(e.name)
    if (!parsed.success) throw zodToValidationError(parsed.error, events.length === 1 ? 'name' : `events.${i}.name`)
    e.name = parsed.data
  }
  try {
    return await insertEvents(deps, tenantId, source, events)
  } catch (err) {
    // Two deliveries of one step racing on the same key: the loser finds the winner's events.
    if (!isUniqueViolation(err)) throw err
    return insertEvents(deps, tenantId, source, events)
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { kind?: string } } }; message?: string }
  return e.code === 'P2002' || e.meta?.code === '23505' || e.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation' || /23505|unique constraint/i.test(e.message ?? '')
}

async function insertEvents(deps: EventBusDeps, tenantId: string, source: EventSource | null, events: EventToPublish[]): Promise<PublishedEvent[]> {
  const { prisma } = deps
  const keys = events.flatMap((e) => (e.dedupeKey ? [e.dedupeKey] : []))
  const known = new Map<string, PublishedEvent>()
  if (keys.length > 0) {
    const rows = await prisma.event.findMany({
      where: { tenantId, dedupeKey: { in: keys } },
      select: { id: true, dedupeKey: true, _count: { select: { deliveries: true } } },
    })
    for (const r of rows) known.set(r.dedupeKey!, { eventId: r.id, subscribers: r._count.deliveries })
  }
  const fresh = events.filter((e) => !e.dedupeKey || !known.has(e.dedupeKey))
  const depth = fresh.length > 0 && source ? await chainDepth(deps, tenantId, source.executionId) : 0
  const subscribers = await subscribersOf(prisma, tenantId, [...new Set(fresh.map((e) => e.name))])
  const eventRows: unknown[][] = []
  const deliveries: unknown[][] = []
  const jobs: string[] = []
  const results: PublishedEvent[] = []
  for (const e of events) {
    const hit = e.dedupeKey ? known.get(e.dedupeKey) : undefined
    if (hit) {
      results.push(hit)
      continue
    }
    const id = randomUUID()
    const payload = storableJson(e.payload ?? null)
    eventRows.push([id, tenantId, e.name, JSON.stringify(payload), e.dedupeKey ?? null, source?.executionId ?? null, source?.workflowId ?? null, depth])
    let count = 0
    for (const s of subscribers.get(e.name) ?? []) {
      if (!(await payloadMatches(s.config, payload, deps.sandbox))) continue
      count++
      const deliveryId = randomUUID()
      jobs.push(deliveryId)
      deliveries.push([
        deliveryId, id, tenantId, s.workflowId, s.nodeId, s.versionId,
        s.config.maxAttempts ?? 3, Math.round((s.config.retryDelaySeconds ?? 10) * 1000),
      ])
    }
    results.push({ eventId: id, subscribers: count })
    if (e.dedupeKey) known.set(e.dedupeKey, results.at(-1)!)
  }
  if (eventRows.length === 0) return results
  await insertRows(prisma, eventRows, deliveries)
  await deps.deliveries
    .enqueue(jobs.map((deliveryId) => ({ deliveryId, replays: 0, attempt: 1 })))
    .catch((err: Error) => console.error(`[events] enqueue failed (the recovery pass will deliver): ${err.message}`))
  return results
}

const UTC_NOW = `(now() AT TIME ZONE 'UTC')`

/** The depth of events `executionId` publishes: one more than the event that started it (0 if none did). */
async function chainDepth(deps: EventBusDeps, tenantId: string, executionId: string): Promise<number> {
  const [row] = await deps.prisma.$queryRawUnsafe<{ depth: number }[]>(
    `SELECT e."depth" FROM "EventDelivery" d JOIN "Event" e ON e."id" = d."eventId" WHERE d."currentExecutionId" = $1 AND d."tenantId" = $2 LIMIT 1`,
    executionId, tenantId,
  )
  const depth = row ? row.depth + 1 : 0
  const max = deps.maxDepth ?? MAX_EVENT_DEPTH
  if (depth > max) {
    throw new NodeError(`This run was started by a chain of ${depth} events, each published by a run the one before started; the limit is ${max}. A workflow that publishes the event it subscribes to stops here`, {
      code: 'EVENT_CHAIN_TOO_DEEP', retryable: false, field: 'name', details: { depth, limit: max },
    })
  }
  return depth
}

/** One statement (so atomic without holding a transaction open): the events, then their deliveries. */
async function insertRows(prisma: PrismaClient, events: unknown[][], deliveries: unknown[][]): Promise<void> {
  const params: unknown[] = []
  const row = (values: unknown[], casts: string[]) => `(${values.map((v, i) => (params.push(v), `$${params.length}${casts[i] ?? ''}`)).join(', ')})`
  const eventValues = events.map((v) => row(v, ['', '', '', '::jsonb', '', '', '', '::int'])).join(', ')
  const insertEvents = `INSERT INTO "Event" ("id", "tenantId", "name", "payload", "dedupeKey", "sourceExecutionId", "sourceWorkflowId", "depth", "publishedAt")
    SELECT v.*, ${UTC_NOW} FROM (VALUES ${eventValues}) AS v`
  if (deliveries.length === 0) {
    await prisma.$executeRawUnsafe(insertEvents, ...params)
    return
  }
  const deliveryValues = deliveries.map((v) => row(v, ['', '', '', '', '', '', '::int', '::int'])).join(', ')
  await prisma.$executeRawUnsafe(
    `WITH e AS (${insertEvents})
     INSERT INTO "EventDelivery" ("id", "eventId", "tenantId", "workflowId", "nodeId", "versionId", "maxAttempts", "retryDelayMs", "updatedAt")
     SELECT v.*, ${UTC_NOW} FROM (VALUES ${deliveryValues}) AS v`,
    ...params,
  )
}

async function subscribersOf(prisma: PrismaClient, tenantId: string, names: string[]): Promise<Map<string, Subscriber[]>> {
  const out = new Map<string, Subscriber[]>()
  if (names.length === 0) return out
  const regs = await prisma.triggerRegistration.findMany({
    where: { tenantId, kind: 'event', key: { in: names } },
    select: { key: true, workflowId: true, nodeId: true, versionId: true, config: true },
    orderBy: { createdAt: 'asc' },
  })
  for (const r of regs) {
    const list = out.get(r.key) ?? []
    list.push({ workflowId: r.workflowId, nodeId: r.nodeId, versionId: r.versionId, config: r.config as unknown as EventTriggerParams })
    out.set(r.key, list)
  }
  return out
}

/** The `events` host service: a run's Publish Event steps publish in its tenant, with the run as the source. */
export function eventHost(deps: EventBusDeps): EventHost {
  return {
    forRun: (run) => ({
      publish: (events) => publishEvents(deps, run.tenantId, { executionId: run.executionId, workflowId: run.workflowId }, events),
    }),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The studio: recent events, an event's deliveries and their runs, the dead letters; replay and discard.

export const DELIVERY_STATUSES = ['pending', 'running', 'delivered', 'dead', 'discarded'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** POST /api/events */
export const publishEventBody = z.object({
  name: eventNameSchema,
  payload: z.unknown().optional().transform((v) => v ?? null),
})

export const listEventsQuery = z.object({
  name: eventNameSchema.optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const listDeliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).default('dead'),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export interface ListEventsFilter {
  name?: string
  cursor?: string
  limit: number
}

export async function listEvents(prisma: PrismaClient, tenantId: string, f: ListEventsFilter) {
  const db = forTenant(prisma, tenantId)
  const after = f.cursor ? decodeCursor(f.cursor) : null
  const rows = await db.event.findMany({
    where: {
      name: f.name,
      OR: after ? [{ publishedAt: { lt: after.createdAt } }, { publishedAt: after.createdAt, id: { lt: after.id } }] : undefined,
    },
    orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    select: { id: true, name: true, publishedAt: true, sourceExecutionId: true, sourceWorkflowId: true },
  })
  const page = rows.slice(0, f.limit)
  const counts = page.length
    ? await db.eventDelivery.groupBy({ by: ['eventId', 'status'], where: { eventId: { in: page.map((r) => r.id) } }, _count: { _all: true } })
    : []
  const byEvent = new Map<string, Record<string, number>>()
  for (const c of counts) byEvent.set(c.eventId, { ...byEvent.get(c.eventId), [c.status]: c._count._all })
  return {
    events: page.map((r) => ({ ...r, deliveries: byEvent.get(r.id) ?? {} })),
    nextCursor: rows.length > f.limit ? encodeCursor({ createdAt: page[page.length - 1].publishedAt, id: page[page.length - 1].id }) : null,
  }
}

const deliverySelect = {
  id: true, eventId: true, workflowId: true, nodeId: true, versionId: true, status: true, attempts: true, maxAttempts: true,
  replays: true, lastError: true, executionIds: true, nextAttemptAt: true, createdAt: true, updatedAt: true,
} as const

async function workflowNames(prisma: PrismaClient, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await forTenant(prisma, tenantId).workflow.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } })
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** One event: its payload, its source, and per subscriber the delivery with the runs it started. */
export async function getEvent(prisma: PrismaClient, tenantId: string, id: string) {
  const db = forTenant(prisma, tenantId)
  const event = await db.event.findFirst({ where: { id }, select: { id: true, name: true, payload: true, publishedAt: true, sourceExecutionId: true, sourceWorkflowId: true } })
  if (!event) throw new NotFoundError('Event')
  const deliveries = await db.eventDelivery.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' }, select: deliverySelect })
  const runIds = deliveries.flatMap((d) => d.executionIds)
  const runs = runIds.length
    ? await db.execution.findMany({ where: { id: { in: runIds } }, select: { id: true, status: true, createdAt: true, startedAt: true, finishedAt: true } })
    : []
  const runById = new Map(runs.map((r) => [r.id, r]))
  const names = await workflowNames(prisma, tenantId, [...deliveries.map((d) => d.workflowId), ...(event.sourceWorkflowId ? [event.sourceWorkflowId] : [])])
  return {
    ...event,
    sourceWorkflowName: event.sourceWorkflowId ? (names.get(event.sourceWorkflowId) ?? null) : null,
    deliveries: deliveries.map(({ executionIds, ...d }) => ({
      ...d,
      workflowName: names.get(d.workflowId) ?? null,
      runs: executionIds.map((eid) => runById.get(eid) ?? { id: eid, status: 'deleted' as const, createdAt: null, startedAt: null, finishedAt: null }),
    })),
  }
}

export async function listDeliveries(prisma: PrismaClient, tenantId: string, f: { status: DeliveryStatus; cursor?: string; limit: number }) {
  const db = forTenant(prisma, tenantId)
  const after = f.cursor ? decodeCursor(f.cursor) : null
  const rows = await db.eventDelivery.findMany({
    where: {
      status: f.status,
      OR: after ? [{ updatedAt: { lt: after.createdAt } }, { updatedAt: after.createdAt, id: { lt: after.id } }] : undefined,
    },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    select: { ...deliverySelect, event: { select: { name: true, publishedAt: true } } },
  })
  const page = rows.slice(0, f.limit)
  const names = await workflowNames(prisma, tenantId, page.map((d) => d.workflowId))
  return {
    deliveries: page.map(({ event, ...d }) => ({ ...d, eventName: event.name, publishedAt: event.publishedAt, workflowName: names.get(d.workflowId) ?? null })),
    nextCursor: rows.length > f.limit ? encodeCursor({ createdAt: page[page.length - 1].updatedAt, id: page[page.length - 1].id }) : null,
  }
}

/** A dead (or discarded) delivery starts a new cycle of attempts at once: attempts back to 0, its own job ids. */
export async function replayDelivery(deps: Pick<EventBusDeps, 'prisma' | 'deliveries'>, tenantId: string, id: string) {
  const db = forTenant(deps.prisma, tenantId)
  const [row] = await db.eventDelivery.updateManyAndReturn({
    where: { id, status: { in: ['dead', 'discarded'] } },
    data: { status: 'pending', attempts: 0, replays: { increment: 1 }, currentExecutionId: null, claimedAt: null, nextAttemptAt: new Date() },
    select: { id: true, replays: true, status: true },
  })
  if (!row) return refuse(db, id, 'replayed', 'dead or discarded')
  await deps.deliveries.enqueue([{ deliveryId: row.id, replays: row.replays, attempt: 1 }])
  return { id: row.id, status: row.status }
}

/** A dead or pending delivery is dropped for good (its pending attempt, if any, finds it discarded and does nothing). */
export async function discardDelivery(prisma: PrismaClient, tenantId: string, id: string) {
  const db = forTenant(prisma, tenantId)
  const [row] = await db.eventDelivery.updateManyAndReturn({
    where: { id, status: { in: ['dead', 'pending'] } },
    data: { status: 'discarded' },
    select: { id: true, status: true },
  })
  if (!row) return refuse(db, id, 'discarded', 'dead or pending')
  return row
}

async function refuse(db: ReturnType<typeof forTenant>, id: string, verb: string, allowed: string): Promise<never> {
  const row = await db.eventDelivery.findFirst({ where: { id }, select: { status: true } })
  if (!row) throw new NotFoundError('Delivery')
  throw new ConflictError(`The delivery is ${row.status}: only a ${allowed} delivery can be ${verb}`, { status: row.status })
}
