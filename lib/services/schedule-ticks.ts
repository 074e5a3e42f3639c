// One schedule tick, as a worker takes it up: for every registration with the tick's key (the schedules that fire
// then), start its published version once, or record the tick as skipped. "Once" is a unique ScheduleTick row per
// (workflow, node, tick time), inserted by the same statement as the run's Execution row: a tick delivered twice (a
// stalled worker's job handed to another) or raced by two workers starts one run per schedule, and the other
// delivery finds the rows and does nothing. A registration removed meanwhile (the workflow was deactivated or
// republished) gets nothing. One statement per 500 schedules, over the hot-path pool (lib/services/hot-db.ts).
import type { PrismaClient } from '../db/generated/client'
import { jsonbText } from '../db/json'
import { scheduleTriggerParams } from '../nodes/schedule-trigger/definition'
import { scheduleItem } from '../nodes/schedule-trigger/fire-item'
import type { ExecutionDeps } from './executions'
import { executionEvent } from './execution-events'
import { hotDb, newId, type HotDb } from './hot-db'
import { nextFireTimes, scheduleSpec, type ScheduleSpec } from './schedules'
import { tracingOn, withSpan } from '../telemetry/spans'

export interface Tick {
  /** The registrations' key (lib/nodes/schedule-trigger `scheduleKey`). */
  key: string
  /** The tick's scheduled time (BullMQ's job scheduler slot), not when it was delivered. */
  tickAt: Date
}

export type TickOutcome = { registrationId: string } & (
  | { outcome: 'started'; executionId: string; lateMs: number; missedTicks: number }
  | { outcome: 'skipped'; lateMs: number; toleranceMs: number }
  /** Another delivery of this tick already started its run (or skipped it). */
  | { outcome: 'duplicate' }
  /** The registration is gone (workflow deactivated or republished since the tick was read). */
  | { outcome: 'gone' }
)

/** The most a tick may be late and still count as on time for `missed: skip`. */
export const MAX_TOLERANCE_MS = 60_000
/** No schedule fires more often than once a second, so no tolerance is below this: later ticks need a look. */
const ALWAYS_ON_TIME_MS = 500

/** Half the time to the tick after it, at most 60 s: a late tick is one a worker took up closer to the next one. */
export function toleranceMs(spec: ScheduleSpec, tickAt: Date): number {
  const [next] = nextFireTimes(spec, tickAt, 1)
  return next ? Math.min(MAX_TOLERANCE_MS, (next.getTime() - tickAt.getTime()) / 2) : MAX_TOLERANCE_MS
}

/** How many fire times fell after `tickAt` up to `now` (capped): the ticks a catch-up run stands for. */
function ticksBetween(spec: ScheduleSpec, tickAt: Date, now: Date, cap = 1000): number {
  let n = 0
  let from = tickAt
  while (n < cap) {
    const batch = nextFireTimes(spec, from, Math.min(500, cap - n))
    for (const t of batch) {
      if (t > now) return n
      n++
    }
    if (batch.length === 0) return n
    from = batch[batch.length - 1]
  }
  return n
}

interface TickRow {
  tickId: string
  registrationId: string
  tickAt: Date
  status: 'started' | 'skipped'
  /** Null for a skipped tick. */
  executionId: string | null
  lateMs: number
  /** The run's input (JSON text), for a started tick. */
  input: string | null
}

interface NewRun {
  id: string
  tenantId: string
  workflowId: string
  versionId: string
  startNodeId: string
  mode: string
  status: string
  createdAt: Date
}

interface TickRowResult {
  registered: boolean
  inserted: boolean
  /** The new run's row, for a started tick that was inserted. */
  execution: NewRun | null
}

/** Inserts the tick rows whose registration still exists (skipping ticks already recorded) and their runs' rows. */
async function writeTicks(db: HotDb, rows: TickRow[]): Promise<TickRowResult[]> {
  const { rows: out } = await db.query<{ tickId: string; registered: boolean; inserted: boolean } & ({ id: string } & Omit<NewRun, 'id'> | { id: null })>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[], $4::text[], $5::text[], $6::int[], $7::text[])
         AS i("tickId", "registrationId", "tickAt", "status", "executionId", "lateMs", "input")
     ), ticks AS (
       INSERT INTO "ScheduleTick" ("id", "tenantId", "workflowId", "nodeId", "registrationId", "tickAt", "status", "executionId", "lateMs", "createdAt")
       SELECT i."tickId", r."tenantId", r."workflowId", r."nodeId", r."id", i."tickAt", i."status", i."executionId", i."lateMs", now() AT TIME ZONE 'UTC'
       FROM input i JOIN "TriggerRegistration" r ON r."id" = i."registrationId"
       ON CONFLICT ("workflowId", "nodeId", "tickAt") DO NOTHING
       RETURNING "id", "executionId"
     ), runs AS (
       INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "input", "startNodeId", "createdAt")
       SELECT t."executionId", r."tenantId", r."workflowId", r."versionId", r."versionNumber", 'schedule', i."input"::jsonb, r."nodeId", now() AT TIME ZONE 'UTC'
       FROM ticks t JOIN input i ON i."tickId" = t."id" JOIN "TriggerRegistration" r ON r."id" = i."registrationId"
       WHERE t."executionId" IS NOT NULL
       RETURNING "id", "tenantId", "workflowId", "versionId", "startNodeId", "mode", "status"::text AS "status", "createdAt" AT TIME ZONE 'UTC' AS "createdAt"
     )
     SELECT i."tickId", r."id" IS NOT NULL AS "registered", t."id" IS NOT NULL AS "inserted",
       e."id", e."tenantId", e."workflowId", e."versionId", e."startNodeId", e."mode", e."status", e."createdAt"
     FROM input i
       LEFT JOIN "TriggerRegistration" r ON r."id" = i."registrationId"
       LEFT JOIN ticks t ON t."id" = i."tickId"
       LEFT JOIN runs e ON e."id" = i."executionId"`,
    [
      rows.map((r) => r.tickId), rows.map((r) => r.registrationId), rows.map((r) => r.tickAt.toISOString().replace('Z', '')), rows.map((r) => r.status),
      rows.map((r) => r.executionId), rows.map((r) => Math.round(r.lateMs)), rows.map((r) => r.input),
    ],
  )
  const byTick = new Map(out.map((r) => [r.tickId, r]))
  return rows.map((row) => {
    const r = byTick.get(row.tickId)!
    const { tickId: _, registered, inserted, ...run } = r
    return { registered, inserted, execution: run.id ? (run as NewRun) : null }
  })
}

/** Rows per statement: 1,000 schedules on the same minute are two statements. */
const ROWS_PER_STATEMENT = 500
/** Runs enqueued at once after the statement committed. */
const ENQUEUE_AT_ONCE = 100

export interface TickStarterOptions {
  /** The zone of a schedule whose node leaves `timezone` empty (lib/env `schedules.defaultTimezone`). */
  defaultTimezone: string
  log?(line: string): void
}

/** Takes ticks up for one worker: decides start or skip per schedule, writes them, enqueues the runs. */
export class TickStarter {
  private readonly db: HotDb

  constructor(
    private readonly deps: ExecutionDeps,
    private readonly opts: TickStarterOptions,
  ) {
    const db = hotDb(deps.prisma as PrismaClient)
    if (!db) throw new Error('schedule ticks need a Prisma client made by createPrisma (lib/db/client.ts)')
    this.db = db
  }

  async handle(tick: Tick, now = new Date()): Promise<TickOutcome[]> {
    // Over the hot-path pool: 1,000 registrations read through Prisma took ~100 ms of the tick's first second.
    const { rows: regs } = await this.db.query<{ id: string; config: unknown }>(
      `SELECT "id", "config" FROM "TriggerRegistration" WHERE "kind" = 'schedule' AND "key" = $1 ORDER BY "createdAt", "id"`,
      [tick.key],
    )
    if (regs.length === 0) return []
    // Registrations share the key, hence the fire times and zone: the first one's params tell them.
    const spec = scheduleSpec(scheduleTriggerParams.parse(regs[0].config), this.opts.defaultTimezone)
    const lateMs = Math.max(0, now.getTime() - tick.tickAt.getTime())
    const tolerance = lateMs > ALWAYS_ON_TIME_MS ? toleranceMs(spec, tick.tickAt) : MAX_TOLERANCE_MS
    const late = lateMs > tolerance
    const missedTicks = late ? ticksBetween(spec, tick.tickAt, now) : 0
    const input = jsonbText([{ ...scheduleItem(tick.tickAt, now, spec.tz), ...(missedTicks > 0 ? { missedTicks } : {}) }])
    const rows: TickRow[] = regs.map((r) => {
      const skip = late && (r.config as { missed?: string }).missed !== 'runOnce'
      return { tickId: newId(), registrationId: r.id, tickAt: tick.tickAt, lateMs, status: skip ? 'skipped' : 'started', executionId: skip ? null : newId(), input: skip ? null : input }
    })
    const written: TickRowResult[] = []
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) written.push(...(await writeTicks(this.db, rows.slice(i, i + ROWS_PER_STATEMENT))))

    // Committed: from here a crash leaves queued rows, which the reconciler enqueues again.
    const item = JSON.parse(input!) as unknown[]
    const outcomes: TickOutcome[] = rows.map((row, i) => {
      const res = written[i]
      if (!res.registered) return { registrationId: row.registrationId, outcome: 'gone' }
      if (!res.inserted) return { registrationId: row.registrationId, outcome: 'duplicate' }
      if (row.status === 'skipped') return { registrationId: row.registrationId, outcome: 'skipped', lateMs, toleranceMs: tolerance }
      return { registrationId: row.registrationId, outcome: 'started', executionId: res.execution!.id, lateMs, missedTicks }
    })
    const started = written.flatMap((w) => (w.execution ? [w.execution] : []))
    for (let i = 0; i < started.length; i += ENQUEUE_AT_ONCE) {
      await Promise.all(
        started.slice(i, i + ENQUEUE_AT_ONCE).map(async (run) => {
          // With its owner, like every other run: the fair queue and the concurrency limits count it. Each run starts a
          // trace of its own when this process exports traces.
          const enqueue = () => this.deps.queue.enqueue(run.id, {
            tenantId: run.tenantId, workflowId: run.workflowId, versionId: run.versionId, mode: 'schedule', startNodeId: run.startNodeId, input: item,
            createdAt: run.createdAt.toISOString(),
          }, { tenantId: run.tenantId, workflowId: run.workflowId })
          if (!tracingOn()) await enqueue()
          else await withSpan('schedule tick', { root: true, attributes: { 'auterity.execution.id': run.id, 'auterity.workflow.id': run.workflowId, 'auterity.tenant.id': run.tenantId, 'auterity.schedule.tick_at': tick.tickAt.toISOString() } }, enqueue)
          this.deps.emitter.executionUpdated(run.tenantId, executionEvent({ ...run, startedAt: null, finishedAt: null, error: null }))
        }),
      )
    }
    for (const o of outcomes) {
      if (o.outcome !== 'skipped') continue
      this.opts.log?.(
        `[schedules] skipped the tick of ${tick.tickAt.toISOString()} for registration ${o.registrationId}: ${Math.round(lateMs)} ms late (tolerance ${tolerance} ms, missed: skip)`,
      )
    }
    return outcomes
  }
}
