// The event bus's two hot statements, group-committed over the hot-path pool (./hot-db.ts): publish calls arriving
// together share one subscriber look-up and one insert, so a thousand single-event calls a second are a few dozen
// statements, not thousands of Prisma queries.
//   look-up  the Event trigger registrations of (tenant, name) pairs: active workflows' published versions only.
//   insert   one statement writes the events, each matching subscriber's delivery (running, attempt 1) and the run
//            that attempt starts (a queued Execution, its input the event), so publishing is the first delivery:
//            no delivery job, no claim, no second insert before the subscriber's run is queued. A call's events
//            commit together (one statement). An event whose dedupe key is taken (before, or by an event earlier in
//            the same statement) writes nothing (ON CONFLICT DO NOTHING) and is reported as not inserted.
import type { PrismaClient } from '../db/generated/client'
import type { EventTriggerParams } from '../nodes/event-trigger/definition'
import { Batcher, hotDb, type ExecutionRow, type ExecutionSummaryRow } from './hot-db'

export interface Subscriber {
  workflowId: string
  nodeId: string
  versionId: string
  versionNumber: number
  config: EventTriggerParams
}

export interface NewDelivery {
  deliveryId: string
  executionId: string
  workflowId: string
  nodeId: string
  versionId: string
  versionNumber: number
  maxAttempts: number
  retryDelayMs: number
}

export interface NewEvent {
  id: string
  tenantId: string
  name: string
  /** JSON text. */
  payload: string
  dedupeKey: string | null
  sourceExecutionId: string | null
  sourceWorkflowId: string | null
  depth: number
  deliveries: NewDelivery[]
}

/** A run the insert queued (the columns the realtime event and the job's start need). */
export type QueuedRun = ExecutionSummaryRow & Pick<ExecutionRow, 'startNodeId' | 'input'>

export interface WrittenEvent {
  /** False when the dedupe key was taken (by an earlier publish, or one committing alongside): nothing written. */
  inserted: boolean
  runs: QueuedRun[]
}

type Query = <R>(text: string, values: unknown[]) => Promise<R[]>

const UTC_NOW = `(now() AT TIME ZONE 'UTC')`

// Fixed texts (rows travel as arrays through unnest): prepared once per pooled connection.
const LOOKUP = `SELECT r."tenantId", r."key", r."workflowId", r."nodeId", r."versionId", r."versionNumber", r."config"
  FROM unnest($1::text[], $2::text[]) AS q("qTenant", "qKey")
  JOIN "TriggerRegistration" r ON r."kind" = 'event' AND r."key" = q."qKey" AND r."tenantId" = q."qTenant"
  ORDER BY r."createdAt", r."id"`

const INSERT = `WITH ev AS (
    INSERT INTO "Event" ("id", "tenantId", "name", "payload", "dedupeKey", "sourceExecutionId", "sourceWorkflowId", "depth", "publishedAt")
    SELECT "id", "tenantId", "name", "payload"::jsonb, "dedupeKey", "sourceExecutionId", "sourceWorkflowId", "depth", ${UTC_NOW}
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
      AS t("id", "tenantId", "name", "payload", "dedupeKey", "sourceExecutionId", "sourceWorkflowId", "depth")
    ON CONFLICT ("tenantId", "dedupeKey") DO NOTHING
    RETURNING "id", "tenantId", "name", "payload", "publishedAt", "sourceExecutionId", "sourceWorkflowId"
  ), d AS (
    SELECT s.*, ev."tenantId", ev."name", ev."payload", ev."publishedAt", ev."sourceExecutionId", ev."sourceWorkflowId"
    FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[], $17::int[])
      AS s("deliveryId", "eventId", "executionId", "workflowId", "nodeId", "versionId", "versionNumber", "maxAttempts", "retryDelayMs")
    JOIN ev ON ev."id" = s."eventId"
  ), x AS (
    INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "input", "startNodeId", "createdAt")
    SELECT "executionId", "tenantId", "workflowId", "versionId", "versionNumber", 'event',
      jsonb_build_array(jsonb_build_object(
        'event', jsonb_build_object(
          'id', "eventId", 'name', "name", 'publishedAt', to_char("publishedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'source', jsonb_build_object('executionId', "sourceExecutionId", 'workflowId', "sourceWorkflowId")),
        'payload', "payload")),
      "nodeId", ${UTC_NOW}
    FROM d
    RETURNING "id", "tenantId", "workflowId", "versionId", "mode", "status"::text AS "status", "error", "startNodeId", "input",
      "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "startedAt" AT TIME ZONE 'UTC' AS "startedAt", "finishedAt" AT TIME ZONE 'UTC' AS "finishedAt"
  ), dl AS (
    INSERT INTO "EventDelivery" ("id", "eventId", "tenantId", "workflowId", "nodeId", "versionId", "maxAttempts", "retryDelayMs",
      "status", "attempts", "claimedAt", "currentExecutionId", "executionIds", "updatedAt")
    SELECT "deliveryId", "eventId", "tenantId", "workflowId", "nodeId", "versionId", "maxAttempts", "retryDelayMs",
      'running', 1, ${UTC_NOW}, "executionId", ARRAY["executionId"], ${UTC_NOW}
    FROM d
  )
  SELECT 'event' AS "kind", ev."id", NULL AS "tenantId", NULL AS "workflowId", NULL AS "versionId", NULL AS "mode", NULL AS "status",
    NULL::jsonb AS "error", NULL AS "startNodeId", NULL::jsonb AS "input", NULL::timestamptz AS "createdAt", NULL::timestamptz AS "startedAt", NULL::timestamptz AS "finishedAt"
  FROM ev
  UNION ALL
  SELECT 'run', x.* FROM x`

interface LookupInput {
  tenantId: string
  names: string[]
}

/** One per Prisma client (the hot-path pool is): look-ups and inserts of every caller share statements. */
export class EventWriter {
  private readonly lookups: Batcher<LookupInput, Map<string, Subscriber[]>>
  private readonly inserts: Batcher<NewEvent[], WrittenEvent[]>

  constructor(private readonly query: Query) {
    this.lookups = new Batcher((inputs) => this.lookupAll(inputs), { maxInFlight: 6 })
    this.inserts = new Batcher(async (calls) => {
      const written = await this.insertAll(calls.flat())
      let at = 0
      return calls.map((c) => written.slice(at, (at += c.length)))
    }, { maxInFlight: 6 })
  }

  /** The subscribers of each name in the tenant, oldest registration first. */
  subscribers(tenantId: string, names: string[]): Promise<Map<string, Subscriber[]>> {
    return this.lookups.push({ tenantId, names })
  }

  /** Writes the events (one publish call's, committed together) with their deliveries and queued runs. */
  insert(events: NewEvent[]): Promise<WrittenEvent[]> {
    return this.inserts.push(events)
  }

  private async lookupAll(inputs: LookupInput[]): Promise<Map<string, Subscriber[]>[]> {
    const pairs = new Map<string, [string, string]>()
    for (const i of inputs) for (const n of i.names) pairs.set(`${i.tenantId}\u0000${n}`, [i.tenantId, n])
    const rows = await this.query<Subscriber & { tenantId: string; key: string }>(LOOKUP, [
      [...pairs.values()].map((p) => p[0]),
      [...pairs.values()].map((p) => p[1]),
    ])
    const byPair = new Map<string, Subscriber[]>()
    for (const { tenantId, key, ...s } of rows) {
      const k = `${tenantId}\u0000${key}`
      const list = byPair.get(k) ?? []
      list.push(s)
      byPair.set(k, list)
    }
    return inputs.map((i) => new Map(i.names.map((n) => [n, byPair.get(`${i.tenantId}\u0000${n}`) ?? []])))
  }

  private async insertAll(events: NewEvent[]): Promise<WrittenEvent[]> {
    const ds = events.flatMap((e) => e.deliveries.map((d) => ({ ...d, eventId: e.id })))
    const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k])
    const rows = await this.query<QueuedRun & { kind: 'event' | 'run' }>(INSERT, [
      col(events, 'id'), col(events, 'tenantId'), col(events, 'name'), col(events, 'payload'), col(events, 'dedupeKey'),
      col(events, 'sourceExecutionId'), col(events, 'sourceWorkflowId'), col(events, 'depth'),
      col(ds, 'deliveryId'), col(ds, 'eventId'), col(ds, 'executionId'), col(ds, 'workflowId'), col(ds, 'nodeId'),
      col(ds, 'versionId'), col(ds, 'versionNumber'), col(ds, 'maxAttempts'), col(ds, 'retryDelayMs'),
    ])
    const inserted = new Set(rows.filter((r) => r.kind === 'event').map((r) => r.id))
    const runs = new Map(rows.filter((r) => r.kind === 'run').map(({ kind: _kind, ...r }) => [r.id, r]))
    return events.map((e) => ({
      inserted: inserted.has(e.id),
      runs: e.deliveries.flatMap((d) => {
        const run = runs.get(d.executionId)
        return run ? [run] : []
      }),
    }))
  }
}

const writers = new WeakMap<PrismaClient, EventWriter>()

/** The writer of this Prisma client's database: over its hot-path pool, or (a client made elsewhere) through Prisma. */
export function eventWriter(prisma: PrismaClient): EventWriter {
  let w = writers.get(prisma)
  if (!w) {
    const hot = hotDb(prisma)
    const query: Query = hot
      ? async <R>(text: string, values: unknown[]) => (await hot.pool.query({ text, values, name: text === LOOKUP ? 'event-lookup' : 'event-insert' })).rows as R[]
      : <R>(text: string, values: unknown[]) => prisma.$queryRawUnsafe<R[]>(text, ...values)
    w = new EventWriter(query)
    writers.set(prisma, w)
  }
  return w
}
