// The worker's side of the event bus. A delivery's first attempt is written with its run when the event is
// published (lib/services/event-writer.ts: running, attempt 1, the run queued); this file settles the delivery when
// that run ends (ExecutionRuntime.onFinished), consumes the delivery jobs of later attempts (retries, replays), and
// on a timer recovers what a lost job or a dead worker left behind. The EventDelivery row is the record and every
// step is a conditional update on it:
//   claim   pending (attempts = n-1) → running (attempts = n); a job delivered twice finds the row claimed, and a
//           job of an earlier replay cycle finds another `replays`: one run per attempt.
//   start   startExecution(mode 'event'), the run linked to the delivery (currentExecutionId) before its job is
//           enqueued; a subscriber no longer registered (deactivated) is marked discarded instead, with the reason.
//   settle  the run succeeded → delivered; failed or canceled → pending again after the backoff, or dead after
//           maxAttempts runs. Only the delivery whose current run it is moves, so settling twice changes nothing.
//   recover pending deliveries overdue by `graceMs` (their job was lost) are enqueued again; a claim older than that
//           with no run linked (the worker died before starting it) is taken again; a running delivery whose run
//           ended that long ago unseen (the worker died between the run's end and the settle) is settled.
// At least once: the one window for a second run of an attempt is a worker dying between inserting the run's row
// and linking it (a few milliseconds); that attempt is then claimed again after `graceMs` and runs twice.
import type { PrismaClient } from '../../lib/db/generated/client'
import { jsonbText } from '../../lib/db/json'
import type { CodeRunner, Item, SerializedError } from '../../lib/engine/types'
import type { EventHost } from '../../lib/nodes/publish-event/host'
import type { QueueConfig } from '../../lib/queue'
import { createEventDeliveryQueue, createEventDeliveryWorker, type DeliveryJob, type EventDeliveryQueue, type EventDeliveryWorkerHandle } from '../../lib/queue/events'
import { eventHost, MAX_RETRY_DELAY_MS } from '../../lib/services/events'
import { startExecution, type ExecutionDeps } from '../../lib/services/executions'
import { Batcher, hotDb } from '../../lib/services/hot-db'
import type { FinishedRun } from './run-execution'
import { log } from '../../lib/log'

const logger = log.child({ component: 'events' })

export interface EventBusConfig {
  /** Delivery jobs handled at once by this process (default 20). */
  concurrency?: number
  /** How often the recovery pass runs (default 15 s; 0: never, tests call `recover()`). */
  recoverEveryMs?: number
  /** How long past due a delivery must be before the recovery pass takes it up (default 60 s). */
  graceMs?: number
  /** Longest chain of events publishing events (lib/services/events.ts MAX_EVENT_DEPTH). */
  maxDepth?: number
}

export interface EventBusOptions extends EventBusConfig, QueueConfig {
  prisma: PrismaClient
  sandbox: () => CodeRunner
}

const BATCH = 500

interface Claimed {
  tenantId: string
  workflowId: string
  nodeId: string
  versionId: string | null
  versionNumber: number | null
  eventId: string
  name: string
  payload: unknown
  publishedAt: Date
  sourceExecutionId: string | null
  sourceWorkflowId: string | null
}

/** A `timestamp without time zone` column holds UTC (as Prisma writes it); a raw read may hand it over as local time. */
function asUtc(value: Date | string): string {
  if (typeof value === 'string') return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`).toISOString()
  return value.toISOString()
}
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`

export class EventBus {
  readonly queue: EventDeliveryQueue
  /** The `events` host service of this worker's runs. */
  readonly host: EventHost
  private worker: EventDeliveryWorkerHandle | undefined
  private timer: NodeJS.Timeout | undefined
  private starts: ExecutionDeps | undefined
  private readonly graceMs: number
  /** Successful runs' deliveries, settled together: one statement for the runs that end alongside each other. */
  private readonly delivered: Batcher<string, void>

  constructor(private readonly opts: EventBusOptions) {
    const hot = hotDb(opts.prisma)
    const text = `UPDATE "EventDelivery" SET "status" = 'delivered', "updatedAt" = ${UTC_NOW} WHERE "currentExecutionId" = ANY($1::text[]) AND "status" = 'running'`
    this.delivered = new Batcher(async (ids: string[]) => {
      if (hot) await hot.pool.query({ name: 'event-delivered', text, values: [ids] })
      else await opts.prisma.$executeRawUnsafe(text, ids)
      return ids.map(() => undefined)
    }, { lingerMs: 4 })
    this.queue = createEventDeliveryQueue(opts)
    // A run publishes only once start() has handed over the execution producer.
    this.host = eventHost({ prisma: opts.prisma, deliveries: this.queue, runs: () => this.starts!, sandbox: opts.sandbox, maxDepth: opts.maxDepth })
    this.graceMs = opts.graceMs ?? 60_000
  }

  /** Starts consuming delivery jobs with `starts` (the worker's execution producer) and the recovery timer. */
  async start(starts: ExecutionDeps): Promise<void> {
    this.starts = starts
    this.worker = createEventDeliveryWorker({ connection: this.opts.connection, prefix: this.opts.prefix, concurrency: this.opts.concurrency }, (job) => this.deliver(job))
    await this.worker.waitUntilReady()
    const every = this.opts.recoverEveryMs ?? 15_000
    if (every > 0) {
      this.timer = setInterval(() => void this.recover().catch((err: Error) => logger.error({ err }, 'event delivery recovery pass failed')), every)
      this.timer.unref()
    }
  }

  /** An ExecutionRuntime.onFinished listener. */
  readonly onFinished = async (run: FinishedRun): Promise<void> => {
    if (run.mode === 'event') await this.settle(run.executionId, run.status, run.error)
  }

  /** One attempt of one delivery; never throws for the delivery's own sake (a failure is recorded on the row). */
  async deliver(job: DeliveryJob): Promise<void> {
    const { prisma } = this.opts
    // One round trip: the claim, the subscriber's registration now (none: deactivated) and the event.
    const claimed = await prisma.$queryRawUnsafe<Claimed[]>(
      `WITH c AS (
         UPDATE "EventDelivery" SET "status" = 'running', "attempts" = $3, "claimedAt" = ${UTC_NOW}, "currentExecutionId" = NULL, "updatedAt" = ${UTC_NOW}
         WHERE "id" = $1 AND "replays" = $2 AND (("status" = 'pending' AND "attempts" = $3 - 1)
           OR ("status" = 'running' AND "attempts" = $3 AND "currentExecutionId" IS NULL AND "claimedAt" < ${UTC_NOW} - $4 * interval '1 millisecond'))
         RETURNING "tenantId", "workflowId", "nodeId", "eventId")
       SELECT c."tenantId", c."workflowId", c."nodeId", r."versionId", r."versionNumber",
         e."id" AS "eventId", e."name", e."payload", e."publishedAt", e."sourceExecutionId", e."sourceWorkflowId"
       FROM c JOIN "Event" e ON e."id" = c."eventId"
         LEFT JOIN "TriggerRegistration" r ON r."workflowId" = c."workflowId" AND r."nodeId" = c."nodeId" AND r."tenantId" = c."tenantId" AND r."kind" = 'event'`,
      job.deliveryId, job.replays, job.attempt, this.graceMs,
    )
    const d = claimed[0]
    if (!d) return // settled, discarded, another cycle, or claimed by an earlier delivery of this job
    if (!d.versionId || d.versionNumber === null) {
      await prisma.eventDelivery.updateMany({
        where: { id: job.deliveryId, status: 'running', attempts: job.attempt },
        data: { status: 'discarded', lastError: { name: 'SubscriberInactive', message: 'The workflow was deactivated (or its Event trigger removed) before the event reached it: no run' } },
      })
      return
    }
    const item: Item = {
      event: { id: d.eventId, name: d.name, publishedAt: asUtc(d.publishedAt), source: { executionId: d.sourceExecutionId, workflowId: d.sourceWorkflowId } },
      payload: d.payload,
    }
    const versionId = d.versionId
    await startExecution(
      this.starts!,
      { tenantId: d.tenantId, workflowId: d.workflowId, versionId, versionNumber: d.versionNumber, input: [item], mode: 'event', triggerNodeId: d.nodeId },
      (executionId) =>
        prisma.$executeRawUnsafe(
          `UPDATE "EventDelivery" SET "currentExecutionId" = $2, "executionIds" = array_append("executionIds", $2), "versionId" = $3, "updatedAt" = ${UTC_NOW} WHERE "id" = $1`,
          job.deliveryId, executionId, versionId,
        ).then(() => undefined),
    ).catch((err: Error) => {
      // Not enqueued: startExecution failed the run's row (if it got one), and the recovery pass settles or reclaims.
      logger.error({ deliveryId: job.deliveryId, err }, 'event delivery could not start its run')
    })
  }

  /** The run `executionId` ended: move its delivery on (delivered, retry after the backoff, or dead). One statement. */
  async settle(executionId: string, status: string, error?: SerializedError | null): Promise<void> {
    const { prisma } = this.opts
    if (status === 'succeeded') {
      await this.delivered.push(executionId)
      return
    }
    const lastError = jsonbText({ ...(error ?? { name: 'RunFailed', message: `The run ended ${status}` }), executionId })
    const [moved] = await prisma.$queryRawUnsafe<{ id: string; status: string; attempts: number; replays: number; delayMs: number }[]>(
      `UPDATE "EventDelivery" SET
         "status" = CASE WHEN "attempts" >= "maxAttempts" THEN 'dead' ELSE 'pending' END,
         "lastError" = $2::jsonb || jsonb_build_object('attempt', "attempts"),
         "nextAttemptAt" = ${UTC_NOW} + LEAST(${MAX_RETRY_DELAY_MS}, "retryDelayMs" * power(2, GREATEST(0, "attempts" - 1))) * interval '1 millisecond',
         "updatedAt" = ${UTC_NOW}
       WHERE "currentExecutionId" = $1 AND "status" = 'running'
       RETURNING "id", "status", "attempts", "replays", LEAST(${MAX_RETRY_DELAY_MS}, "retryDelayMs" * power(2, GREATEST(0, "attempts" - 1)))::int AS "delayMs"`,
      executionId, lastError,
    )
    if (moved?.status !== 'pending') return
    await this.queue
      .enqueue([{ deliveryId: moved.id, replays: moved.replays, attempt: moved.attempts + 1 }], moved.delayMs)
      .catch((err: Error) => logger.error({ deliveryId: moved.id, err }, 'event delivery retry not enqueued (the recovery pass will)'))
  }

  /** One recovery pass (see the top of this file); returns what it did. */
  async recover(): Promise<{ requeued: number; reclaimed: number; settled: number }> {
    const { prisma } = this.opts
    const before = new Date(Date.now() - this.graceMs)
    const overdue = await prisma.eventDelivery.findMany({
      where: { status: 'pending', nextAttemptAt: { lt: before } },
      orderBy: { nextAttemptAt: 'asc' },
      take: BATCH,
      select: { id: true, replays: true, attempts: true },
    })
    await this.queue.enqueue(overdue.map((d) => ({ deliveryId: d.id, replays: d.replays, attempt: d.attempts + 1 })))
    const orphans = await prisma.eventDelivery.findMany({
      where: { status: 'running', currentExecutionId: null, claimedAt: { lt: before } },
      take: BATCH,
      select: { id: true, replays: true, attempts: true },
    })
    await this.queue.enqueue(orphans.map((d) => ({ deliveryId: d.id, replays: d.replays, attempt: d.attempts })))
    const ended = await prisma.$queryRawUnsafe<{ executionId: string; status: string | null; error: SerializedError | null }[]>(
      `SELECT d."currentExecutionId" AS "executionId", e."status"::text AS "status", e."error"
       FROM "EventDelivery" d LEFT JOIN "Execution" e ON e."id" = d."currentExecutionId"
       WHERE d."status" = 'running' AND d."currentExecutionId" IS NOT NULL AND d."claimedAt" < ${UTC_NOW} - $1 * interval '1 millisecond'
         AND (e."id" IS NULL OR (e."status" IN ('succeeded', 'failed', 'canceled') AND e."finishedAt" < ${UTC_NOW} - $1 * interval '1 millisecond'))
       LIMIT ${BATCH}`,
      this.graceMs,
    )
    for (const r of ended) await this.settle(r.executionId, r.status ?? 'failed', r.status ? r.error : { name: 'RunDeleted', message: 'The run was deleted before it finished' })
    return { requeued: overdue.length, reclaimed: orphans.length, settled: ended.length }
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.worker?.close()
    await this.queue.close()
  }
}
