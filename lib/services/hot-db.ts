// The webhook → worker hot path's few statements (execution insert, claim, step rows, finish) over a plain pg Pool
// on the same database as the Prisma client: Prisma 7's per-query cost (query plan interpretation, result mapping)
// was the largest CPU item in both processes. Everything else keeps using Prisma. Step rows of concurrently running
// executions are group-committed: one multi-row INSERT per flush, each caller resolved once its row is durable.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { PrismaClient } from '../db/generated/client'

const pools = new WeakMap<object, HotDb | null>()

/** The hot-path pool for this Prisma client's database (same URL and size), or null if it cannot be told. */
export function hotDb(prisma: PrismaClient): HotDb | null {
  const hit = pools.get(prisma)
  if (hit !== undefined) return hit
  const internal = prisma as unknown as { _engineConfig?: EngineConfig; _originalClient?: { _engineConfig?: EngineConfig } }
  const cfg = (internal._engineConfig ?? internal._originalClient?._engineConfig)?.adapter?.config
  const db = typeof cfg?.connectionString === 'string' ? new HotDb(cfg.connectionString, cfg.max ?? 10) : null
  pools.set(prisma, db)
  return db
}

interface EngineConfig {
  adapter?: { config?: { connectionString?: unknown; max?: number } }
}

let counter = 0
/** A cuid-shaped id (the Prisma schema's default for Execution.id). */
export function newId(): string {
  counter = (counter + 1) % 1679616
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}${BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36).slice(0, 12).padStart(12, '0')}`
}

export interface StepRowInput {
  id: string
  tenantId: string
  executionId: string
  nodeId: string
  nodeName: string
  nodeType: string
  attempt: number
  status: string
  /** JSON texts (or null). */
  input: string | null
  inputCount: number
  output: string | null
  outputCounts: string | null
  error: string | null
  startedAt: Date
  finishedAt: Date
  durationMs: number
  pages: { nodeId: string; port: string; page: number; count: number; items: string }[]
}

interface Pending {
  row: StepRowInput
  resolve(): void
  reject(err: unknown): void
}

const MAX_BATCH = 200
const MAX_IN_FLIGHT = 3

export class HotDb {
  readonly pool: pg.Pool
  private queue: Pending[] = []
  private scheduled = false
  private inFlight = 0

  constructor(connectionString: string, max: number) {
    this.pool = new pg.Pool({ connectionString, max, allowExitOnIdle: true })
    this.pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') console.error('[db] idle hot-path connection error', err.message) // 57P01: database dropped (tests)
    })
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values)
  }

  /** Resolves once the step row (and its output pages) is committed; rows arriving together share one statement. */
  writeStep(row: StepRowInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject })
      this.schedule()
    })
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.drain()
    })
  }

  private drain() {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch: Pending[] = []
      const keys = new Set<string>()
      const rest: Pending[] = []
      for (const p of this.queue) {
        const key = `${p.row.executionId}\u0000${p.row.nodeId}\u0000${p.row.attempt}`
        // ON CONFLICT cannot touch the same row twice in one statement: a repeat waits for the next batch.
        if (batch.length < MAX_BATCH && !keys.has(key)) {
          keys.add(key)
          batch.push(p)
        } else rest.push(p)
      }
      this.queue = rest
      this.inFlight++
      void this.flush(batch).finally(() => {
        this.inFlight--
        this.schedule()
      })
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      await this.insertSteps(batch.map((p) => p.row))
      for (const p of batch) p.resolve()
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err)
      // One bad row (its execution deleted meanwhile…) must not fail its neighbours: retry them one by one.
      await Promise.all(
        batch.map((p) =>
          this.insertSteps([p.row]).then(
            () => p.resolve(),
            (e) => p.reject(e),
          ),
        ),
      )
    }
  }

  private async insertSteps(rows: StepRowInput[]): Promise<void> {
    const values: unknown[] = []
    const param = (v: unknown) => {
      values.push(v)
      return `$${values.length}`
    }
    const pages = rows.flatMap((r) => r.pages.map((p) => ({ ...p, executionId: r.executionId })))
    const withPages =
      pages.length === 0
        ? ''
        : `WITH pages AS (INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items") VALUES ${pages
            .map((p) => `(${param(p.executionId)}, ${param(p.nodeId)}, ${param(p.port)}, ${param(p.page)}::int, ${param(p.count)}::int, ${param(p.items)}::jsonb)`)
            .join(', ')}) `
    const tuples = rows.map(
      (r) =>
        `(${param(r.id)}, ${param(r.tenantId)}, ${param(r.executionId)}, ${param(r.nodeId)}, ${param(r.nodeName)}, ${param(r.nodeType)}, ${param(r.attempt)}::int, ` +
        `${param(r.status)}::"StepStatus", ${param(r.input)}::jsonb, ${param(r.inputCount)}::int, ${param(r.output)}::jsonb, ${param(r.outputCounts)}::jsonb, ` +
        `${param(r.error)}::jsonb, (${param(r.startedAt.toISOString())}::timestamptz AT TIME ZONE 'UTC'), ` +
        `(${param(r.finishedAt.toISOString())}::timestamptz AT TIME ZONE 'UTC'), ${param(Math.round(r.durationMs))}::int)`,
    )
    await this.pool.query(
      `${withPages}INSERT INTO "StepRun" ("id", "tenantId", "executionId", "nodeId", "nodeName", "nodeType", "attempt", "status", "input", "inputCount",
        "output", "outputCounts", "error", "startedAt", "finishedAt", "durationMs") VALUES ${tuples.join(', ')}
      ON CONFLICT ("executionId", "nodeId", "attempt") DO UPDATE SET "status" = EXCLUDED."status", "output" = EXCLUDED."output",
        "outputCounts" = EXCLUDED."outputCounts", "error" = EXCLUDED."error", "finishedAt" = EXCLUDED."finishedAt", "durationMs" = EXCLUDED."durationMs"`,
      values,
    )
  }
}

/** Execution columns read on the hot path; timestamps converted to timestamptz so pg parses them as UTC. */
export const EXECUTION_COLUMNS = `"id", "tenantId", "workflowId", "versionId", "mode", "status"::text AS "status", "input", "error", "retryOfId",
  "startNodeId", "deliveries", "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "startedAt" AT TIME ZONE 'UTC' AS "startedAt",
  "finishedAt" AT TIME ZONE 'UTC' AS "finishedAt"`
