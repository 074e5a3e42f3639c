// Lost and stuck runs, found from PostgreSQL (the record) and handed back to the queue. Redis may lose jobs (restarted
// without persistence, keys evicted under memory pressure), and a delivery may end without finishing its row (the
// database was down when it failed for the last time). Every worker process runs this on an interval; a transaction
// advisory lock lets one of them at a time do the work.
//   - queued rows older than `queuedAfterMs` whose job is gone (or failed) are enqueued again;
//   - running rows whose lease expired (no worker renews it) and whose job is gone or failed are enqueued again, and
//     resume from their committed step rows; one delivered `maxDeliveries` times already is failed instead;
//   - files no run holds (uploads whose run never started, files of deleted runs, expired "test step" output) are
//     removed from the file store (after the lock's transaction: removal talks to the blob store).
import type { PrismaClient } from '../../lib/db/generated/client'
import type { ExecutionQueue } from '../../lib/queue'
import { log } from '../../lib/log'

const logger = log.child({ component: 'reconciler' })

export interface ReconcilerConfig {
  intervalMs: number
  queuedAfterMs: number
  lookbackHours: number
  maxDeliveries: number
}

export interface ReconcilerDeps {
  prisma: PrismaClient
  queue: Pick<ExecutionQueue, 'state' | 'requeue'>
  /** Ends a run that cannot be resumed any more (the worker's failExecution: row, realtime event, webhook waiter). */
  fail(executionId: string, err: Error): Promise<void>
  /** The file store's sweep (FileService.sweep); unset: this process keeps no files. */
  sweepFiles?(): Promise<number>
}

export interface ReconcileReport {
  /** False when another process held the lock (it does the work). */
  ran: boolean
  requeued: string[]
  failed: string[]
  /** Files the sweep removed (when this pass held the lock and a file store is set). */
  filesSwept?: number
}

/** Rows looked at per pass: a backlog is worked off over several passes. */
const BATCH = 500
/** pg_try_advisory_xact_lock key: any fixed number shared by every worker. */
export const RECONCILER_LOCK_KEY = 7_305_524_101

interface Candidate {
  id: string
  status: 'queued' | 'running'
  deliveries: number
  createdAt: Date
}

export class Reconciler {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined
  /** Where the next pass goes on (keyset): a backlog of queued runs whose jobs merely wait does not hide the rest. */
  private after: { createdAt: Date; id: string } | undefined

  constructor(
    private readonly deps: ReconcilerDeps,
    private readonly config: ReconcilerConfig,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return
      this.running = this.runOnce()
        .catch((err) => logger.error({ err }, 'reconciler pass failed'))
        .finally(() => (this.running = undefined))
    }, this.config.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    await this.running
  }

  /** One pass; the advisory lock is held for its length (a transaction on one pooled connection). */
  async runOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { ran: false, requeued: [], failed: [] }
    const { queuedAfterMs, lookbackHours, maxDeliveries } = this.config
    await this.deps.prisma.$transaction(
      async (tx) => {
        const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${RECONCILER_LOCK_KEY}::bigint) AS locked`
        if (!locked) return
        report.ran = true
        // createdAt bounds the scan (BRIN index); sub-workflow runs live inside their parent's step and are not jobs.
        const after = this.after ?? { createdAt: new Date(0), id: '' }
        const rows = await tx.$queryRaw<Candidate[]>`
          SELECT "id", "status"::text AS "status", "deliveries", "createdAt" FROM "Execution"
          WHERE "createdAt" >= (now() AT TIME ZONE 'UTC') - ${lookbackHours}::int * interval '1 hour'
            AND ("createdAt", "id") > (${after.createdAt}::timestamp, ${after.id})
            AND "mode" <> 'subworkflow'
            AND (("status" = 'queued' AND "createdAt" < (now() AT TIME ZONE 'UTC') - ${queuedAfterMs}::int * interval '1 millisecond')
              OR ("status" = 'running' AND "leaseExpiresAt" < (now() AT TIME ZONE 'UTC')))
          ORDER BY "createdAt", "id" LIMIT ${BATCH}`
        this.after = rows.length === BATCH ? { createdAt: rows[BATCH - 1].createdAt, id: rows[BATCH - 1].id } : undefined
        for (const row of rows) {
          if (row.status === 'running' && row.deliveries >= maxDeliveries) {
            const state = await this.deps.queue.state(row.id)
            if (state !== 'missing' && state !== 'failed' && state !== 'completed') continue
            await this.deps.fail(row.id, new Error(`The run was delivered ${row.deliveries} times without finishing; it is not resumed again`))
            report.failed.push(row.id)
          } else if (await this.deps.queue.requeue(row.id)) {
            report.requeued.push(row.id)
          }
        }
      },
      { timeout: 60_000, maxWait: 10_000 },
    )
    if (report.ran && this.deps.sweepFiles) report.filesSwept = await this.deps.sweepFiles()
    if (report.requeued.length + report.failed.length > 0) {
      logger.info({ requeued: report.requeued.length, failed: report.failed.length }, 'reconciler re-enqueued lost or stuck runs')
    }
    return report
  }
}
