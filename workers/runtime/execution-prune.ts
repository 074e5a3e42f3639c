// Execution retention: finished runs older than a workspace's `executionRetentionDays` (else the server's default),
// and those beyond the newest `executionsPerWorkflow` of each workflow, are deleted with their steps, output pages and
// files (lib/services/execution-retention.ts holds the settings). Every worker runs a pass on an interval; a session
// advisory lock on a connection of its own lets one process at a time work, without a transaction open for the
// pass (a long one would hold back vacuum of the very rows it deletes). The work itself is short transactions of
// `batchSize` runs (./prune-batch.ts), so the workers inserting new runs and steps never wait on it. Each workspace's
// summary goes to its audit log.
import pg from 'pg'
import type { PrismaClient } from '../../lib/db/generated/client'
import { recordAudit } from '../../lib/audit'
import { effectiveDays, retentionOf } from '../../lib/services/execution-retention'
import { pruneBatch, type BatchResult, type BatchScope } from './prune-batch'

export interface ExecutionPruneConfig {
  /** Days for workspaces without their own setting; 0: none. */
  defaultDays: number
  /** Runs per transaction. */
  batchSize: number
  /** Between passes; 0: no timer (runOnce only). */
  intervalMs: number
}

export interface ExecutionPruneDeps {
  prisma: PrismaClient
  /** The lock's own session (not one of Prisma's pooled connections, which a session lock cannot be tied to). */
  databaseUrl: string
  /** The file store's remove (FileService.remove): bytes first, then rows. */
  removeFiles(tenantId: string, ids: string[]): Promise<number>
}

export interface TenantPruneSummary extends BatchResult {
  tenantId: string
  /** Of `executions`: taken by the age rule, and by the per-workflow count. */
  byAge: number
  byCount: number
}

export interface PruneReport {
  /** False when another process held the lock (it does the work). */
  ran: boolean
  tenants: TenantPruneSummary[]
  executions: number
}

/** pg_try_advisory_lock key shared by every worker (the reconciler's is 7_305_524_101). */
export const EXECUTION_PRUNE_LOCK_KEY = 7_305_524_102
const DAY_MS = 86_400_000

export class ExecutionPruner {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined
  private stopping = false

  constructor(
    private readonly deps: ExecutionPruneDeps,
    private readonly config: ExecutionPruneConfig,
  ) {}

  start(): void {
    if (this.config.intervalMs <= 0) return
    this.timer = setInterval(() => {
      if (this.running) return
      this.running = this.runOnce()
        .then((r) => r.executions > 0 && console.log(`[retention] pruned ${r.executions} run(s) in ${r.tenants.length} workspace(s)`))
        .catch((err) => console.error('[retention] prune failed', (err as Error).message))
        .finally(() => (this.running = undefined))
    }, this.config.intervalMs)
    this.timer.unref()
  }

  /** Stops the timer; a pass under way ends after its current batch. */
  async stop(): Promise<void> {
    this.stopping = true
    clearInterval(this.timer)
    await this.running
  }

  async runOnce(now = new Date()): Promise<PruneReport> {
    const report: PruneReport = { ran: false, tenants: [], executions: 0 }
    const lock = new pg.Client({ connectionString: this.deps.databaseUrl, application_name: 'auterity-retention' })
    await lock.connect()
    try {
      const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [EXECUTION_PRUNE_LOCK_KEY])
      if (!rows[0].locked) return report
      report.ran = true
      for (const t of await this.tenantsWithRetention()) {
        if (this.stopping) break
        const summary = await this.pruneTenant(t.id, t.settings, now)
        if (summary.executions === 0) continue
        report.tenants.push(summary)
        report.executions += summary.executions
        const { tenantId, ...counts } = summary
        await recordAudit(this.deps.prisma, {
          tenantId,
          actor: { type: 'system', label: 'Execution retention' },
          action: 'execution.pruned',
          target: `workspace:${tenantId}`,
          data: { ...counts, ...retentionOf(t.settings), serverDefaultDays: this.config.defaultDays || null },
        })
      }
      return report
    } finally {
      // Ending the session releases the lock too; unlocking first keeps it short when the close is slow.
      await lock.query('SELECT pg_advisory_unlock($1::bigint)', [EXECUTION_PRUNE_LOCK_KEY]).catch(() => undefined)
      await lock.end().catch(() => undefined)
    }
  }

  /** Every workspace when the server has a default; else only those with a setting of their own. */
  private tenantsWithRetention(): Promise<{ id: string; settings: unknown }[]> {
    return this.config.defaultDays > 0
      ? this.deps.prisma.$queryRaw`SELECT "id", "settings" FROM "Tenant" ORDER BY "id"`
      : this.deps.prisma.$queryRaw`SELECT "id", "settings" FROM "Tenant" WHERE "settings" ? 'executionRetentionDays' OR "settings" ? 'executionsPerWorkflow' ORDER BY "id"`
  }

  async pruneTenant(tenantId: string, settings: unknown, now: Date): Promise<TenantPruneSummary> {
    const retention = retentionOf(settings)
    const summary: TenantPruneSummary = { tenantId, byAge: 0, byCount: 0, executions: 0, steps: 0, outputPages: 0, files: 0, filesHandedOver: 0 }
    const days = effectiveDays(retention, this.config.defaultDays)
    if (days !== null) summary.byAge = await this.drain({ tenantId, before: new Date(now.getTime() - days * DAY_MS) }, summary)
    if (retention.executionsPerWorkflow !== null) {
      for (const { workflowId, boundary } of await this.countBoundaries(tenantId, retention.executionsPerWorkflow)) {
        if (this.stopping) break
        summary.byCount += await this.drain({ tenantId, workflowId, before: boundary }, summary)
      }
    }
    return summary
  }

  /**
   * Per workflow with more than `keep` runs: the creation time of its keep-th newest run; runs created before it are
   * beyond the newest `keep`. One probe of the (tenantId, workflowId, createdAt) index per workflow, `keep` + 1
   * entries long. Runs sharing the boundary's instant are kept (never fewer than `keep`).
   */
  private countBoundaries(tenantId: string, keep: number): Promise<{ workflowId: string; boundary: Date }[]> {
    return this.deps.prisma.$queryRaw`
      SELECT w."id" AS "workflowId", b."boundary" FROM "Workflow" w
      CROSS JOIN LATERAL (
        SELECT max(x."createdAt") AS "boundary", count(*) AS "n" FROM (
          SELECT e."createdAt" FROM "Execution" e WHERE e."tenantId" = w."tenantId" AND e."workflowId" = w."id"
          ORDER BY e."createdAt" DESC OFFSET ${keep - 1} LIMIT 2
        ) x
      ) b
      WHERE w."tenantId" = ${tenantId} AND b."n" = 2`
  }

  /** Batches until one comes back short (nothing left in scope, or only rows others hold). */
  private async drain(scope: BatchScope, into: TenantPruneSummary): Promise<number> {
    let total = 0
    let from: Date | undefined
    for (;;) {
      const r = await pruneBatch(this.deps.prisma, { ...scope, from }, this.config.batchSize, this.deps.removeFiles)
      for (const key of ['executions', 'steps', 'outputPages', 'files', 'filesHandedOver'] as const) into[key] += r[key]
      total += r.executions
      from = r.lastCreatedAt
      if (r.executions < this.config.batchSize || this.stopping) return total
    }
  }
}
