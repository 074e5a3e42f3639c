// Publishing events. One statement (./event-writer.ts, shared by the publish calls arriving together) inserts the
// events, one EventDelivery per matching subscriber (an active workflow's Event trigger registration: kind 'event',
// key = the name, same tenant, filter passing the payload) and the run of its first attempt; after it commits, the
// runs are enqueued on the execution queue. Publishing is the first attempt: a failed run's retries go through the
// delivery queue (lib/queue/events.ts, workers/runtime/event-deliveries.ts). A lost enqueue is not lost work: the
// reconciler enqueues a run left queued, and the recovery pass a retry left pending.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { storableJson } from '../db/json'
import { NodeError, type CodeRunner } from '../engine/types'
import { eventNameSchema } from '../nodes/event-trigger/definition'
import type { EventHost, PublishedEvent } from '../nodes/publish-event/host'
import type { EventDeliveryQueue } from '../queue/events'
import type { ExecutionQueue, ExecutionStart } from '../queue'
import type { RealtimeEmitter } from '../realtime/emitter'
import { executionEvent } from './execution-events'
import { newId } from './hot-db'
import { eventWriter, type NewDelivery, type NewEvent } from './event-writer'
import { zodToValidationError } from '../http/route'
import { payloadMatches } from './event-filter'
import { forTenant } from '../db/scope'
import { ConflictError, NotFoundError } from '../errors'
import { afterCursor, keysetPage } from './cursor'
import { log } from '../log'

const logger = log.child({ component: 'events' })
import { linkToActive, tracingOn, withSpan } from '../telemetry/spans'

export interface EventBusDeps {
  prisma: PrismaClient
  /** Retries and replays: the delivery queue's producer. */
  deliveries: Pick<EventDeliveryQueue, 'enqueue'>
  /** The subscribers' first runs, started at publish: the execution queue's producer and the realtime emitter (read
   * when an event is published). */
  runs: () => { queue: Pick<ExecutionQueue, 'enqueue'>; emitter: Pick<RealtimeEmitter, 'executionUpdated'> }
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

/** Publishes `events` in order; bad names are refused (naming `name`, or `events.<i>.name`) before anything is written. */
export async function publishEvents(deps: EventBusDeps, tenantId: string, source: EventSource | null, events: EventToPublish[]): Promise<PublishedEvent[]> {
  for (const [i, e] of events.entries()) {
    const parsed = eventNameSchema.safeParse(e.name)
    if (!parsed.success) throw zodToValidationError(parsed.error, events.length === 1 ? 'name' : `events.${i}.name`)
    e.name = parsed.data
  }
  return insertEvents(deps, tenantId, source, events)
}

async function insertEvents(deps: EventBusDeps, tenantId: string, source: EventSource | null, events: EventToPublish[]): Promise<PublishedEvent[]> {
  const { prisma } = deps
  const writer = eventWriter(prisma)
  const keys = events.flatMap((e) => (e.dedupeKey ? [e.dedupeKey] : []))
  const known = keys.length > 0 ? await publishedWithKeys(prisma, tenantId, keys) : new Map<string, PublishedEvent>()
  const fresh = events.filter((e) => !e.dedupeKey || !known.has(e.dedupeKey))
  if (fresh.length === 0) return events.map((e) => known.get(e.dedupeKey!)!)
  const depth = source ? await chainDepth(deps, tenantId, source.executionId) : 0
  const subscribers = await writer.subscribers(tenantId, [...new Set(fresh.map((e) => e.name))])
  const rows: NewEvent[] = []
  for (const e of fresh) {
    const payload = storableJson(e.payload ?? null)
    const deliveries: NewDelivery[] = []
    for (const s of subscribers.get(e.name) ?? []) {
      if (!(await payloadMatches(s.config, payload, deps.sandbox))) continue
      deliveries.push({
        deliveryId: randomUUID(), executionId: newId(), workflowId: s.workflowId, nodeId: s.nodeId, versionId: s.versionId, versionNumber: s.versionNumber,
        maxAttempts: s.config.maxAttempts ?? 3, retryDelayMs: Math.round((s.config.retryDelaySeconds ?? 10) * 1000),
      })
    }
    rows.push({
      id: randomUUID(), tenantId, name: e.name, payload: JSON.stringify(payload), dedupeKey: e.dedupeKey ?? null,
      sourceExecutionId: source?.executionId ?? null, sourceWorkflowId: source?.workflowId ?? null, depth, deliveries,
    })
  }
  const written = await writer.insert(rows)
  // The runs are committed (queued): their jobs now. A lost enqueue is not lost work: the reconciler enqueues a run
  // left queued (and the delivery settles when it ends).
  const runs = deps.runs()
  await Promise.all(written.flatMap((w) => w.runs).map(async (run) => {
    const start: ExecutionStart = {
      tenantId: run.tenantId, workflowId: run.workflowId, versionId: run.versionId, mode: run.mode,
      startNodeId: run.startNodeId, input: run.input, createdAt: run.createdAt.toISOString(),
    }
    try {
      const enqueue = () => runs.queue.enqueue(run.id, start, { tenantId: run.tenantId, workflowId: run.workflowId })
      // A run an event starts is a trace of its own, linked to the span that published the event (a step, a request).
      if (!tracingOn()) await enqueue()
      else await withSpan('event trigger', { root: true, links: linkToActive(), attributes: { 'auterity.execution.id': run.id, 'auterity.workflow.id': run.workflowId, 'auterity.tenant.id': run.tenantId } }, enqueue)
      runs.emitter.executionUpdated(run.tenantId, executionEvent(run))
    } catch (err) {
      logger.error({ executionId: run.id, err }, 'event run not enqueued (the reconciler will)')
    }
  }))
  // An event whose key a publish alongside this one took: that one's event is the answer.
  const taken = rows.filter((_, i) => !written[i].inserted).map((r) => r.dedupeKey!)
  const later = taken.length > 0 ? await publishedWithKeys(prisma, tenantId, taken) : new Map<string, PublishedEvent>()
  let next = 0
  return events.map((e) => {
    if (e.dedupeKey && known.has(e.dedupeKey)) return known.get(e.dedupeKey)!
    const i = next++
    return written[i].inserted ? { eventId: rows[i].id, subscribers: rows[i].deliveries.length } : later.get(rows[i].dedupeKey!)!
  })
}

async function publishedWithKeys(prisma: PrismaClient, tenantId: string, keys: string[]): Promise<Map<string, PublishedEvent>> {
  const rows = await prisma.event.findMany({
    where: { tenantId, dedupeKey: { in: keys } },
    select: { id: true, dedupeKey: true, _count: { select: { deliveries: true } } },
  })
  return new Map(rows.map((r) => [r.dedupeKey!, { eventId: r.id, subscribers: r._count.deliveries }]))
}

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
  const rows = await db.event.findMany({
    where: { name: f.name, OR: afterCursor(f.cursor, 'publishedAt') },
    orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    select: { id: true, name: true, publishedAt: true, sourceExecutionId: true, sourceWorkflowId: true },
  })
  const { page, nextCursor } = keysetPage(rows, f.limit, (r) => r.publishedAt)
  const counts = page.length
    ? await db.eventDelivery.groupBy({ by: ['eventId', 'status'], where: { eventId: { in: page.map((r) => r.id) } }, _count: { _all: true } })
    : []
  const byEvent = new Map<string, Record<string, number>>()
  for (const c of counts) byEvent.set(c.eventId, { ...byEvent.get(c.eventId), [c.status]: c._count._all })
  return {
    events: page.map((r) => ({ ...r, deliveries: byEvent.get(r.id) ?? {} })),
    nextCursor,
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
  const rows = await db.eventDelivery.findMany({
    where: { status: f.status, OR: afterCursor(f.cursor, 'updatedAt') },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    select: { ...deliverySelect, event: { select: { name: true, publishedAt: true } } },
  })
  const { page, nextCursor } = keysetPage(rows, f.limit, (r) => r.updatedAt)
  const names = await workflowNames(prisma, tenantId, page.map((d) => d.workflowId))
  return {
    deliveries: page.map(({ event, ...d }) => ({ ...d, eventName: event.name, publishedAt: event.publishedAt, workflowName: names.get(d.workflowId) ?? null })),
    nextCursor,
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
