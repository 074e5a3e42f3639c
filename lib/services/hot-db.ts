// The webhook → worker hot path's few statements (execution insert, claim, step rows, finish) over a plain pg Pool
// on the same database as the Prisma client: Prisma 7's per-query cost (query plan interpretation, result mapping)
// was the largest CPU item in both processes. Everything else keeps using Prisma. Step rows of concurrently running
// executions are group-committed: one multi-row INSERT per flush, each caller resolved once its row is durable.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { connectionConfigOf, type PrismaClient } from '../db/client'
import { jsonbText, storableJsonText } from '../db/json'
import { log } from '../log'

const logger = log.child({ component: 'db' })

const pools = new WeakMap<object, HotDb | null>()

/** The hot-path pool for this Prisma client's database (same URL and size), or null if it cannot be told. */
export function hotDb(prisma: PrismaClient): HotDb | null {
  const hit = pools.get(prisma)
  if (hit !== undefined) return hit
  const cfg = connectionConfigOf(prisma)
  const db = cfg ? new HotDb(cfg.url, cfg.max, cfg.connectTimeoutMs) : null
  pools.set(prisma, db)
  return db
}

/** The hot-path pool if this client's process has opened one (the metrics read it without opening one). */
export function openHotDb(prisma: PrismaClient): HotDb | null {
  return pools.get(prisma) ?? null
}

/** How long step rows and finishes wait to share a statement (they are off the webhook's latency path). */
const STEP_LINGER_MS = 4
/** Statements in flight at once for the insert and the claim (3 for the others). */
const LATENCY_IN_FLIGHT = 6

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
  /** Loop bodies: the iteration; loop nodes: the iterations run (null outside loops). */
  iteration: number | null
  status: string
  /** JSON texts (or null). */
  input: string | null
  inputCount: number
  output: string | null
  outputCounts: string | null
  error: string | null
  /** The attempt's log lines as JSON text (null or missing: it logged nothing). */
  logs?: string | null
  startedAt: Date
  finishedAt: Date
  durationMs: number
  pages: { nodeId: string; port: string; page: number; count: number; items: string }[]
  /** The writing delivery's lease token: the row (and its pages) is written only while the execution still holds it.
   * Null: unconditional (hosts that do not claim). */
  leaseToken: string | null
}

/**
 * Group commit: calls arriving while earlier statements are in flight are flushed together in one statement, each
 * caller resolved with its own result once that statement committed. Under no load a call waits one tick at most.
 */
export interface BatcherOptions<In> {
  /** Inputs with the same key never share a statement (ON CONFLICT cannot touch one row twice). */
  key?: (input: In) => string
  /** Inputs of one group (an execution's step rows) commit in order: later ones never before earlier ones. */
  group?: (input: In) => string
  /** Inputs per statement (default 200). */
  maxBatch?: number
  /** Statements in flight at once (default 3). */
  maxInFlight?: number
  /** Wait this long before a statement (default 0: the next tick) so more inputs share it. For writes off the latency path. */
  lingerMs?: number
}

export class Batcher<In, Out> {
  private queue: { input: In; resolve(v: Out): void; reject(e: unknown): void }[] = []
  private scheduled = false
  private inFlight = 0
  /** Groups with a statement in flight: their next inputs wait, so a group's inputs commit in the order pushed. */
  private readonly busy = new Map<string, number>()

  private readonly key: (input: In) => string
  private readonly group?: (input: In) => string
  private readonly maxBatch: number
  private readonly maxInFlight: number
  private readonly lingerMs: number

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    opts: BatcherOptions<In> = {},
  ) {
    this.key = opts.key ?? (() => '')
    this.group = opts.group
    this.maxBatch = opts.maxBatch ?? 200
    this.maxInFlight = opts.maxInFlight ?? 3
    this.lingerMs = opts.lingerMs ?? 0
  }

  push(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ input, resolve, reject })
      this.schedule()
    })
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return
    this.scheduled = true
    const go = () => {
      this.scheduled = false
      this.drain()
    }
    if (this.lingerMs > 0) setTimeout(go, this.lingerMs)
    else setImmediate(go)
  }

  private drain() {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch: typeof this.queue = []
      const rest: typeof this.queue = []
      const keys = new Set<string>()
      const held = new Set<string>() // groups with an earlier input left in the queue: the later ones stay too
      for (const p of this.queue) {
        const k = this.key(p.input)
        const g = this.group?.(p.input)
        const free = g === undefined || (!this.busy.has(g) && !held.has(g))
        if (free && batch.length < this.maxBatch && (k === '' || !keys.has(k))) {
          if (k !== '') keys.add(k)
          batch.push(p)
        } else {
          if (g !== undefined) held.add(g)
          rest.push(p)
        }
      }
      this.queue = rest
      if (batch.length === 0) return // everything waits for a statement in flight; its end schedules again
      const groups = this.group ? [...new Set(batch.map((p) => this.group!(p.input)))] : []
      for (const g of groups) this.busy.set(g, (this.busy.get(g) ?? 0) + 1)
      this.inFlight++
      void this.flush(batch).finally(() => {
        for (const g of groups) {
          const n = (this.busy.get(g) ?? 1) - 1
          if (n <= 0) this.busy.delete(g)
          else this.busy.set(g, n)
        }
        this.inFlight--
        this.schedule()
      })
    }
  }

  private async flush(batch: typeof this.queue): Promise<void> {
    try {
      const out = await this.run(batch.map((p) => p.input))
      batch.forEach((p, i) => p.resolve(out[i]))
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err)
      // One bad input (its execution deleted meanwhile…) must not fail its neighbours: retry them one by one, in order.
      for (const p of batch) await this.run([p.input]).then((out) => p.resolve(out[0]), (e) => p.reject(e))
    }
  }
}

export interface ExecutionRow {
  id: string
  tenantId: string
  workflowId: string
  versionId: string
  mode: string
  status: string
  input: unknown
  error: unknown
  retryOfId: string | null
  startNodeId: string | null
  deliveries: number
  /** A draft run: the row carries the graph to run (Execution.graph) instead of its version's. */
  ownGraph?: boolean
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

/** What the insert and the finish return: enough for the realtime event (no input, which can be large). */
export type ExecutionSummaryRow = Pick<ExecutionRow, 'id' | 'tenantId' | 'workflowId' | 'versionId' | 'mode' | 'status' | 'error' | 'createdAt' | 'startedAt' | 'finishedAt'>

export interface NewExecution {
  tenantId: string
  workflowId: string
  versionId: string
  versionNumber: number
  mode: string
  input: unknown
  startNodeId?: string | null
  retryOfId?: string | null
  parentExecutionId?: string | null
}

export class HotDb {
  readonly pool: pg.Pool
  private readonly steps = new Batcher<StepRowInput, boolean>((rows) => this.insertSteps(rows), {
    key: (r) => `${r.executionId}\u0000${r.nodeId}\u0000${r.attempt}`,
    group: (r) => r.executionId,
    // Step rows are off the latency path (the engine does not wait for them): a short wait lets a fast run's rows,
    // and those of runs alongside it, share one statement and one commit.
    lingerMs: STEP_LINGER_MS,
  })
  // The insert and the claim are on a webhook's latency path: more of them may be in flight at once.
  private readonly inserts = new Batcher<NewExecution, ExecutionSummaryRow>((rows) => this.insertExecutions(rows), { maxInFlight: LATENCY_IN_FLIGHT })
  private readonly claims = new Batcher<ClaimInput, ExecutionRow | null>((rows) => this.claimExecutions(rows), { key: (r) => r.id, maxInFlight: LATENCY_IN_FLIGHT })
  private readonly finishes = new Batcher<FinishInput, ExecutionSummaryRow | null>((rows) => this.finishExecutions(rows), {
    key: (r) => r.id,
    lingerMs: STEP_LINGER_MS,
  })

  constructor(connectionString: string, max: number, connectTimeoutMs?: number) {
    // Every statement here finds its rows by key. Their plans are cached per connection (named statements); one
    // cached while "Execution" was small (a new install, a fresh database) is a sequential scan, kept until an
    // ANALYZE invalidates it, so each claim and finish read the whole table (11 M rows read in a 15 s bench).
    // With sequential scans priced out, the planner takes the key's index whatever the table's statistics say.
    // (A SET on each new connection before the pool hands it out; a startup `options` parameter would be refused by
    // connection poolers such as PgBouncer.)
    this.pool = new pg.Pool({
      connectionString,
      max,
      connectionTimeoutMillis: connectTimeoutMs,
      allowExitOnIdle: true,
      onConnect: (client) => client.query('SET enable_seqscan = off'),
    })
    this.pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') logger.error({ err }, 'idle hot-path connection error') // 57P01: database dropped (tests)
    })
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values)
  }

  /** Resolves once the step row (and its output pages) is committed, true; false when its lease token no longer
   * matches (nothing written). Rows arriving together share one statement. */
  writeStep(row: StepRowInput): Promise<boolean> {
    return this.steps.push(row)
  }

  /** A new 'queued' execution row, committed. */
  insertExecution(row: NewExecution): Promise<ExecutionSummaryRow> {
    return this.inserts.push(row)
  }

  /** queued/running → running, one more delivery, first start time kept, a new lease (token, expiry). Null when the
   * row is not runnable. */
  claimExecution(id: string, leaseToken: string, leaseMs: number): Promise<ExecutionRow | null> {
    return this.claims.push({ id, leaseToken, leaseMs })
  }

  /**
   * running/queued → a final status; null when it already ended (a cancel that raced the end wins) or when the lease
   * says another delivery holds the run: with a token, only while it still matches; without one, only while no
   * delivery holds an unexpired lease.
   */
  finishExecution(id: string, status: string, error: unknown, leaseToken: string | null): Promise<ExecutionSummaryRow | null> {
    return this.finishes.push({ id, status, error: jsonbText(error), leaseToken })
  }

  /** Whether the lease is still held and unexpired: a read by primary key (no commit to wait for). */
  async holdsLease(id: string, token: string): Promise<boolean> {
    const { rowCount } = await this.pool.query({
      name: 'hot-holds-lease',
      text: `SELECT 1 FROM "Execution" WHERE "id" = $1 AND "leaseToken" = $2 AND "leaseExpiresAt" > (now() AT TIME ZONE 'UTC')`,
      values: [id, token],
    })
    return rowCount === 1
  }

  /** Extends the leases still held (token matches) and unexpired; the ids renewed. Rows share one statement. */
  async renewLeases(leases: { id: string; token: string }[], leaseMs: number): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ id: string }>({
      name: 'hot-renew-leases',
      text: `UPDATE "Execution" SET "leaseExpiresAt" = (now() AT TIME ZONE 'UTC') + $3::int * interval '1 millisecond'
      FROM unnest($1::text[], $2::text[]) AS l("lId", "lToken")
      WHERE "Execution"."id" = l."lId" AND "Execution"."leaseToken" = l."lToken" AND "Execution"."leaseExpiresAt" > (now() AT TIME ZONE 'UTC')
      RETURNING "Execution"."id"`,
      values: [leases.map((l) => l.id), leases.map((l) => l.token), Math.round(leaseMs)],
    })
    return new Set(rows.map((r) => r.id))
  }

  // Every statement has a fixed text (rows travel as arrays through unnest) so it is prepared once per connection
  // (a named statement) instead of parsed and planned on every call.

  private async insertExecutions(rows: NewExecution[]): Promise<ExecutionSummaryRow[]> {
    const ids = rows.map(() => newId())
    const { rows: out } = await this.pool.query<ExecutionSummaryRow>({
      name: 'hot-insert-executions',
      text: `INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "input", "startNodeId", "retryOfId", "parentExecutionId", "createdAt")
      SELECT "id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "input"::jsonb, "startNodeId", "retryOfId", "parentExecutionId", now() AT TIME ZONE 'UTC'
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
        AS t("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "input", "startNodeId", "retryOfId", "parentExecutionId")
      RETURNING ${SUMMARY_COLUMNS}`,
      values: [
        ids,
        rows.map((r) => r.tenantId),
        rows.map((r) => r.workflowId),
        rows.map((r) => r.versionId),
        rows.map((r) => r.versionNumber),
        rows.map((r) => r.mode),
        rows.map((r) => jsonbText(r.input)),
        rows.map((r) => r.startNodeId ?? null),
        rows.map((r) => r.retryOfId ?? null),
        rows.map((r) => r.parentExecutionId ?? null),
      ],
    })
    const byId = new Map(out.map((r) => [r.id, r]))
    return ids.map((id) => byId.get(id)!)
  }

  private async claimExecutions(claims: ClaimInput[]): Promise<(ExecutionRow | null)[]> {
    // A claim always takes the lease over: BullMQ hands a job to one worker at a time, so the newest delivery is the
    // one that may run; any earlier one is fenced off by the new token.
    const { rows } = await this.pool.query<ExecutionRow>({
      name: 'hot-claim-executions',
      text: `UPDATE "Execution"
      SET "status" = 'running', "startedAt" = COALESCE("startedAt", now() AT TIME ZONE 'UTC'), "deliveries" = "deliveries" + 1,
        "leaseToken" = c."cToken", "leaseExpiresAt" = (now() AT TIME ZONE 'UTC') + c."cMs" * interval '1 millisecond'
      FROM unnest($1::text[], $2::text[], $3::int[]) AS c("cId", "cToken", "cMs")
      WHERE "Execution"."id" = c."cId" AND "Execution"."status" IN ('queued', 'running')
      RETURNING ${EXECUTION_COLUMNS}`,
      values: [claims.map((c) => c.id), claims.map((c) => c.leaseToken), claims.map((c) => Math.round(c.leaseMs))],
    })
    const byId = new Map(rows.map((r) => [r.id, r]))
    return claims.map((c) => byId.get(c.id) ?? null)
  }

  private async finishExecutions(rows: FinishInput[]): Promise<(ExecutionSummaryRow | null)[]> {
    const { rows: out } = await this.pool.query<ExecutionSummaryRow>({
      name: 'hot-finish-executions',
      text: `UPDATE "Execution" SET "status" = f."fStatus"::"ExecutionStatus", "finishedAt" = (now() AT TIME ZONE 'UTC'),
        "error" = COALESCE(f."fError"::jsonb, "Execution"."error"), "leaseExpiresAt" = NULL
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS f("fId", "fStatus", "fError", "fToken")
      WHERE "Execution"."id" = f."fId" AND "Execution"."status" IN ('queued', 'running')
        AND (CASE WHEN f."fToken" IS NULL THEN "Execution"."leaseExpiresAt" IS NULL OR "Execution"."leaseExpiresAt" <= (now() AT TIME ZONE 'UTC')
          ELSE "Execution"."leaseToken" = f."fToken" END)
      RETURNING ${SUMMARY_COLUMNS}`,
      values: [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.error), rows.map((r) => r.leaseToken)],
    })
    const byId = new Map(out.map((r) => [r.id, r]))
    return rows.map((r) => byId.get(r.id) ?? null)
  }

  /**
   * Step rows and their held-back output pages in one statement (the pages' CTE runs even though unreferenced). The
   * fence is part of it: the executions whose lease token still matches are read once (`held`), by primary key, and
   * only their rows and pages are written. Returns, per row, whether it was written.
   */
  private async insertSteps(rows: StepRowInput[]): Promise<boolean[]> {
    const pages = rows.flatMap((r) => r.pages.map((p) => ({ ...p, executionId: r.executionId, leaseToken: r.leaseToken })))
    const col = <K extends keyof StepRowInput>(k: K) => rows.map((r) => r[k])
    const { rows: written } = await this.pool.query<{ eid: string; nid: string; att: number }>({
      name: 'hot-insert-steps',
      text: `WITH fence AS (
        SELECT DISTINCT fe, ft FROM unnest($3::text[], $23::text[]) AS f(fe, ft)),
      held AS (
        SELECT fe FROM fence WHERE ft IS NULL
        UNION ALL SELECT x."id" FROM "Execution" x JOIN fence ON x."id" = fence.fe AND x."leaseToken" = fence.ft),
      pages AS (
        INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items")
        SELECT e, n, p, pg, c, i::jsonb FROM unnest($17::text[], $18::text[], $19::text[], $20::int[], $21::int[], $22::text[]) AS pt(e, n, p, pg, c, i)
        WHERE e IN (SELECT fe FROM held))
      INSERT INTO "StepRun" ("id", "tenantId", "executionId", "nodeId", "nodeName", "nodeType", "attempt", "status", "input", "inputCount",
        "output", "outputCounts", "error", "startedAt", "finishedAt", "durationMs", "iteration", "logs")
      SELECT id, tid, eid, nid, nname, ntype, att, st::"StepStatus", inp::jsonb, ic, outp::jsonb, oc::jsonb, err::jsonb,
        sa::timestamptz AT TIME ZONE 'UTC', fa::timestamptz AT TIME ZONE 'UTC', d, it, lg::jsonb
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::int[],
        $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::int[], $24::int[], $25::text[])
        AS st_(id, tid, eid, nid, nname, ntype, att, st, inp, ic, outp, oc, err, sa, fa, d, it, lg)
      WHERE eid IN (SELECT fe FROM held)
      ON CONFLICT ("executionId", "nodeId", "attempt") DO UPDATE SET "status" = EXCLUDED."status", "iteration" = EXCLUDED."iteration", "output" = EXCLUDED."output",
        "outputCounts" = EXCLUDED."outputCounts", "error" = EXCLUDED."error", "finishedAt" = EXCLUDED."finishedAt", "durationMs" = EXCLUDED."durationMs",
        "logs" = EXCLUDED."logs"
      RETURNING "executionId" AS eid, "nodeId" AS nid, "attempt" AS att`,
      values: [
        col('id'), col('tenantId'), col('executionId'), col('nodeId'), col('nodeName'), col('nodeType'), col('attempt'), col('status'),
        rows.map((r) => storable(r.input)), col('inputCount'), rows.map((r) => storable(r.output)), col('outputCounts'), rows.map((r) => storable(r.error)),
        rows.map((r) => r.startedAt.toISOString()), rows.map((r) => r.finishedAt.toISOString()), rows.map((r) => Math.round(r.durationMs)),
        pages.map((p) => p.executionId), pages.map((p) => p.nodeId), pages.map((p) => p.port), pages.map((p) => p.page), pages.map((p) => p.count),
        pages.map((p) => storableJsonText(p.items)), rows.map((r) => r.leaseToken), col('iteration'), rows.map((r) => storable(r.logs ?? null)),
      ],
    })
    const done = new Set(written.map((w) => `${w.eid}\u0000${w.nid}\u0000${w.att}`))
    return rows.map((r) => done.has(`${r.executionId}\u0000${r.nodeId}\u0000${r.attempt}`))
  }
}

function storable(text: string | null): string | null {
  return text === null ? null : storableJsonText(text)
}

interface ClaimInput {
  id: string
  leaseToken: string
  leaseMs: number
}

interface FinishInput {
  id: string
  status: string
  error: string | null
  leaseToken: string | null
}

/** Execution columns read on the hot path; timestamps converted to timestamptz so pg parses them as UTC. */
export const EXECUTION_COLUMNS = `"id", "tenantId", "workflowId", "versionId", "mode", "status"::text AS "status", "input", "error", "retryOfId",
  "startNodeId", "deliveries", ("graph" IS NOT NULL) AS "ownGraph", "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "startedAt" AT TIME ZONE 'UTC' AS "startedAt",
  "finishedAt" AT TIME ZONE 'UTC' AS "finishedAt"`

/** The summary columns (insert and finish): no input. */
const SUMMARY_COLUMNS = `"id", "tenantId", "workflowId", "versionId", "mode", "status"::text AS "status", "error",
  "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "startedAt" AT TIME ZONE 'UTC' AS "startedAt", "finishedAt" AT TIME ZONE 'UTC' AS "finishedAt"`
