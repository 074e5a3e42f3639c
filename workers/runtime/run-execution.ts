// The worker's job: load the execution's saved version (or a draft run's own graph), resume what an earlier delivery settled, run the graph
// with lib/engine, record every step, publish progress, and answer a waiting webhook.
import type { Redis } from 'ioredis'
import { runWorkflow } from '../../lib/engine/run'
import { workflowGraphSchema, type WorkflowGraph } from '../../lib/engine/graph-schema'
import type { CredentialData, Item, NodeRegistry, NodeServices, RunLimits, RunResult, SerializedError } from '../../lib/engine/types'
import type { HostServices } from '../../lib/nodes/host-services'
import type { PrismaClient } from '../../lib/db/generated/client'
import type { RealtimeEmitter } from '../../lib/realtime/emitter'
import { PermanentJobError, type JobContext } from '../../lib/queue'
import { PgItemStore } from '../../lib/services/pg-item-store'
import { StepRecorder } from './step-recorder'
import { GraphCache } from './graph-cache'
import { publishWebhookMessage, type CancelListener } from '../../lib/services/signals'
import { executionEvent } from '../../lib/services/execution-events'
import { hotDb, type ExecutionRow } from '../../lib/services/hot-db'
import { LeaseKeeper, type RunLease } from './lease'
import { LeaseLostError } from '../../lib/services/lease-lost'
import { postponeDelayMs, type ConcurrencyGate } from './concurrency'
import { storableJson } from '../../lib/db/json'
import { auditedCredentialUse } from '../../lib/credentials/usage'
import type { Metrics } from '../../lib/metrics/metrics'
import { runLogger } from '../../lib/log'
import { observeSteps } from './step-metrics'
import { markExecution, stepTracer, traceExecution } from '../../lib/telemetry/runs'
import type { Span } from '@opentelemetry/api'

export interface ExecutionRuntime {
  prisma: PrismaClient
  emitter: RealtimeEmitter
  /** Publishes webhook answers (the worker passes its batched publisher: answers of one tick share a write). */
  publisher: Pick<Redis, 'publish'>
  cancels: CancelListener
  registry: NodeRegistry<HostServices>
  /** http, sandbox, sleep and the host services (lib/nodes/host-services.ts); `respond` is added per webhook run. */
  services: Omit<NodeServices, 'respond'> & HostServices
  getCredential(tenantId: string, id: string): Promise<CredentialData>
  /** Renews the leases of the runs this process holds (see ./lease.ts). */
  leases: LeaseKeeper
  pageSize?: number
  concurrency?: number
  deferStepInsertMs?: number
  limits?: Partial<Omit<RunLimits, 'startedAt'>>
  /**
   * Called once per run that this process moved to a final state (succeeded, failed, canceled by its own signal),
   * after the row says so: error workflows, event deliveries and waiting parents hang off it. A listener's error is
   * logged, never the run's. A run canceled from the API (the web process writes the row) passes here as canceled
   * when the delivery running it stops; one canceled while still queued (no worker ran it) does not.
   */
  onFinished?: Array<(run: FinishedRun) => Promise<void> | void>
  /** Per-workspace and per-workflow concurrency limits (./concurrency.ts); none: no limits. */
  gate?: ConcurrencyGate
  /** The process's metrics (lib/metrics): runs finished and their durations, steps, retries. None: not counted. */
  metrics?: Metrics
}

/** A run this worker just finished (see ExecutionRuntime.onFinished). */
export interface FinishedRun {
  executionId: string
  tenantId: string
  workflowId: string
  mode: string
  status: RunResult['status']
  error?: SerializedError
  /** The last step's first output item, when the run recorded one. */
  lastItem?: Item
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled'])
/** Runs a webhook request may wait on: production webhooks and the designer's test URL. */
const WEBHOOK_MODES = new Set(['webhook', 'webhook-test'])
/** Runs started from the designer — Run (a draft run: a manual run with its own graph, or a re-run of one) and the
 * test webhook URL — are the only ones where pinned nodes output their pinned items instead of running. Production runs
 * (webhook, schedule, event, broker, monitor, sub-workflows) and API calls of the saved version never do. */
const usesPinData = (e: { mode: string; ownGraph?: boolean }) => (e.mode === 'manual' && e.ownGraph === true) || e.mode === 'webhook-test'

export async function processExecution(rt: ExecutionRuntime, job: JobContext): Promise<void> {
  // A workspace or workflow at its concurrency limit: back to the queue for a moment, the row still queued.
  if (rt.gate && job.owner && !(await rt.gate.acquire(job.executionId, job.owner))) await job.postpone(postponeDelayMs())
  // Tracked before the row says running, so a cancel published in between is not lost.
  const controller = rt.cancels.track(job.executionId)
  const token = LeaseKeeper.newToken()
  try {
    await traceExecution({ executionId: job.executionId, trace: job.trace, attempt: job.attempt }, (span) => runClaimed(rt, job, controller, token, span))
  } finally {
    // The run's pages and browser context go whatever the outcome (a resumed delivery opens them again).
    await rt.services.browser.endRun(job.executionId).catch(() => undefined)
    rt.leases.release(job.executionId, token)
    rt.cancels.untrack(job.executionId)
    if (rt.gate) await rt.gate.release(job.executionId)
  }
}

async function runClaimed(rt: ExecutionRuntime, job: JobContext, controller: AbortController, token: string, span?: Span): Promise<void> {
  const notRunnable = async () => {
    const exists = await rt.prisma.execution.findUnique({ where: { id: job.executionId }, select: { id: true } })
    if (!exists) throw new PermanentJobError(`Execution ${job.executionId} no longer exists`)
    // finished or canceled meanwhile
  }
  // A new run whose job carries its start (small input, first delivery) begins while the claim commits: the claim
  // is off the webhook's latency path. Nothing is written for the run until the claim succeeded; if the row turns
  // out not to be runnable (canceled while queued), the run is aborted and leaves no rows.
  const early = job.start && job.firstDelivery ? job.start : undefined
  const claimed = claim(rt.prisma, job.executionId, token, rt.leases.leaseMs)
  let execution: ExecutionRow
  if (early) {
    const now = new Date()
    execution = {
      id: job.executionId, ...early, status: 'running', error: null, retryOfId: null, deliveries: 1,
      createdAt: new Date(early.createdAt), startedAt: now, finishedAt: null,
    }
  } else {
    const row = await claimed
    if (!row) return notRunnable()
    execution = row
  }
  const gate = early
    ? claimed.then((row) => {
        if (!row) controller.abort(new Error('The execution is not runnable any more (canceled or finished)'))
        else rt.emitter.executionUpdated(row.tenantId, executionEvent(row)) // the committed row, not the job's copy
        return row !== null
      })
    : undefined
  gate?.catch(() => undefined) // a failed claim fails the writes waiting on it, and so the delivery
  // The lease is renewed from the moment the claim committed (before, the row does not carry the token yet).
  const lease: Promise<RunLease | null> = (gate ?? Promise.resolve(true)).then((ok) => (ok ? rt.leases.hold(execution.id, token, controller) : null))
  lease.catch(() => undefined)
  const leaseLost = () => {
    if (!controller.signal.aborted) controller.abort(new LeaseLostError(execution.id))
  }
  const scope = { executionId: execution.id, workflowId: execution.workflowId, tenantId: execution.tenantId }
  span?.setAttributes({ 'auterity.workflow.id': scope.workflowId, 'auterity.tenant.id': scope.tenantId, 'auterity.execution.mode': execution.mode })
  // The waiting request takes the first answer only: once a Respond node answered, the end of the run is not sent.
  let responded = false
  const answerWaiter = () => WEBHOOK_MODES.has(execution.mode) && !responded
  if (!early) rt.emitter.executionUpdated(scope.tenantId, executionEvent(execution))
  let recorder: StepRecorder | undefined
  try {
    const graph = execution.ownGraph ? await loadOwnGraph(rt.prisma, execution.id) : await loadGraph(rt.prisma, execution.versionId)
    // The first delivery of a new run has nothing to resume: no look-ups (this is the webhook hot path).
    const fresh = execution.deliveries === 1 && !execution.retryOfId
    const { completed, attemptOffset } = fresh
      ? { completed: {}, attemptOffset: new Map<string, number>() }
      : await resumeState(rt.prisma, execution.id, execution.deliveries > 1)
    const store = new PgItemStore(rt.prisma, execution.id, rt.pageSize, fresh, { token, ready: gate, lost: leaseLost })
    recorder = new StepRecorder({
      prisma: rt.prisma, emitter: rt.emitter, scope, graph, attemptOffset, store, deferInsertMs: rt.deferStepInsertMs, gate,
      lease: { token, lost: leaseLost, signal: controller.signal },
    })
    const result = await runWorkflow({
      graph,
      registry: rt.registry,
      ...scope,
      input: Array.isArray(execution.input) ? (execution.input as Item[]) : [],
      triggerNodeId: triggerNode(graph, rt.registry, execution.startNodeId),
      services: {
        ...rt.services,
        respond:
          WEBHOOK_MODES.has(execution.mode)
            ? (response) => {
                responded = true
                return publishWebhookMessage(rt.publisher, execution.id, { kind: 'respond', response })
              }
            : undefined,
        // Only steps of nodes that declare side effects pay for this check (one read of the row by primary key).
        beforeSideEffect: async () => {
          const held = await lease
          if (!held) throw controller.signal.reason ?? new LeaseLostError(execution.id)
          await held.guard()
        },
      },
      // Each credential the run uses is audited once (lib/credentials/usage.ts).
      getCredential: auditedCredentialUse(rt.prisma, { tenantId: scope.tenantId, executionId: execution.id, workflowId: scope.workflowId }, (id) => rt.getCredential(scope.tenantId, id)),
      onEvent: rt.metrics ? observeSteps(recorder.onEvent, rt.metrics, graph, rt.registry) : recorder.onEvent,
      // Undefined unless this process exports traces: then each step attempt is a span under this run's.
      tracer: stepTracer(),
      signal: controller.signal,
      store,
      pageSize: rt.pageSize,
      concurrency: rt.concurrency,
      completed,
      // The run-time cap counts from the first delivery's start: a redelivered run does not get a fresh allowance.
      limits: { ...rt.limits, startedAt: execution.startedAt?.getTime() },
      pinData: graph.pinData,
      applyPinData: usesPinData(execution),
    })
    await recorder.closeOpenSteps()
    // Every step row is committed before the run is called finished.
    await recorder.flush()
    if (gate && !(await gate)) return notRunnable()
    // Stopped because another delivery holds the run now: that one records and finishes it.
    if (controller.signal.reason instanceof LeaseLostError) throw controller.signal.reason
    if (span) markExecution(span, result.status, result.error)
    await finish(rt, execution.id, answerWaiter(), result.status, result.error, recorder.lastOutputItem, token)
  } catch (err) {
    await recorder?.flush().catch(() => undefined)
    if (gate && !(await gate)) return notRunnable()
    if (controller.signal.reason instanceof LeaseLostError) throw controller.signal.reason
    if (err instanceof PermanentJobError || job.isFinalAttempt) {
      await finish(rt, execution.id, answerWaiter(), 'failed', serialize(err), undefined, token)
    }
    throw err
  }
}


/** One statement: queued/running → running, count the delivery, keep the first start time, take the lease over.
 * Null when not runnable. */
async function claim(prisma: PrismaClient, executionId: string, token: string, leaseMs: number): Promise<ExecutionRow | null> {
  const hot = hotDb(prisma)
  if (hot) return hot.claimExecution(executionId, token, leaseMs)
  const rows = await prisma.$queryRaw<ExecutionRow[]>`
    UPDATE "Execution"
    SET "status" = 'running', "startedAt" = COALESCE("startedAt", now() AT TIME ZONE 'UTC'), "deliveries" = "deliveries" + 1,
      "leaseToken" = ${token}, "leaseExpiresAt" = (now() AT TIME ZONE 'UTC') + ${Math.round(leaseMs)}::int * interval '1 millisecond'
    WHERE "id" = ${executionId} AND "status" IN ('queued', 'running')
    RETURNING "id", "tenantId", "workflowId", "versionId", "mode", "status"::text AS "status", "input", "error", "retryOfId",
      "startNodeId", "deliveries", ("graph" IS NOT NULL) AS "ownGraph", "createdAt", "startedAt", "finishedAt"`
  return rows[0] ?? null
}

/** Called when the queue gives up on a job (attempts used up, stalled too often); a row another delivery holds an
 * unexpired lease on is left to it. */
export async function failExecution(rt: Pick<ExecutionRuntime, 'prisma' | 'emitter' | 'publisher' | 'onFinished' | 'metrics'>, executionId: string, err: Error): Promise<void> {
  const row = await rt.prisma.execution.findUnique({ where: { id: executionId }, select: { status: true, mode: true } })
  if (!row || TERMINAL.has(row.status)) return
  await finish(rt, executionId, WEBHOOK_MODES.has(row.mode), 'failed', serialize(err))
}

async function finish(
  rt: Pick<ExecutionRuntime, 'prisma' | 'emitter' | 'publisher' | 'onFinished' | 'metrics'>,
  executionId: string,
  /** Publish the end of the run to a waiting "when finished" webhook request. */
  answerWaiter: boolean,
  status: RunResult['status'],
  error?: SerializedError,
  lastItem?: Item,
  /** The finishing delivery's lease token (none: only while no delivery holds an unexpired lease). */
  leaseToken: string | null = null,
): Promise<void> {
  // A cancel that raced the end of the run wins: the row already says canceled.
  const row = await finishRow(rt.prisma, executionId, status, error, leaseToken)
  if (row) rt.emitter.executionUpdated(row.tenantId, executionEvent(row))
  // A give-up without a token that the lease refused (a delivery still holds the run) leaves the answer to that one.
  if (answerWaiter && (row || leaseToken !== null)) await publishWebhookMessage(rt.publisher, executionId, { kind: 'finished', status, item: lastItem, error })
  // A cancel ends the row while the run is still going (the web writes canceled, then this delivery stops on the
  // signal): the after-run listeners still hear of that end from the delivery that held the run, so an event's
  // delivery moves on now instead of at its next recovery pass.
  const ended = row ?? (leaseToken !== null ? await canceledRow(rt.prisma, executionId) : null)
  if (ended) rt.metrics?.executionFinished(ended.mode, row ? status : 'canceled', runMs(ended), ended.workflowId)
  if (ended && rt.onFinished?.length) {
    const run: FinishedRun = { executionId, tenantId: ended.tenantId, workflowId: ended.workflowId, mode: ended.mode, status: row ? status : 'canceled', error, lastItem }
    for (const listener of rt.onFinished) {
      try {
        await listener(run)
      } catch (err) {
        runLogger({ executionId, tenantId: ended.tenantId, workflowId: ended.workflowId }).error({ component: 'worker', err }, 'after-run listener failed')
      }
    }
  }
}

/** The run's time from its first start to its end, as the row says (null: it never started). */
function runMs(row: { startedAt: Date | null; finishedAt: Date | null }): number | null {
  return row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null
}

async function canceledRow(prisma: PrismaClient, executionId: string) {
  return prisma.execution.findFirst({
    where: { id: executionId, status: 'canceled' },
    select: { tenantId: true, workflowId: true, mode: true, startedAt: true, finishedAt: true },
  })
}

async function finishRow(prisma: PrismaClient, executionId: string, status: RunResult['status'], error: SerializedError | undefined, leaseToken: string | null) {
  const hot = hotDb(prisma)
  if (!hot) {
    const fence = leaseToken !== null ? { leaseToken } : { OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lte: new Date() } }] }
    const updated = await prisma.execution.updateManyAndReturn({
      where: { id: executionId, status: { in: ['queued', 'running'] }, ...fence },
      data: { status, finishedAt: new Date(), leaseExpiresAt: null, error: error ? (storableJson(error) as object) : undefined },
    })
    return updated[0]
  }
  return hot.finishExecution(executionId, status, error, leaseToken)
}

// Versions are immutable: their parsed graphs are cached for as long as the process lives (./graph-cache.ts), one
// cache per database (tests run workers on several).
const graphCaches = new WeakMap<PrismaClient, GraphCache<WorkflowGraph>>()

const parseGraph = (text: string) => ({
  // Frozen: shared by every run of this version (the engine keeps its structural check of frozen graphs).
  graph: deepFreeze(workflowGraphSchema.parse(JSON.parse(text))),
  bytes: text.length,
})

function graphCache(prisma: PrismaClient): GraphCache<WorkflowGraph> {
  let cache = graphCaches.get(prisma)
  if (!cache) {
    const hot = hotDb(prisma)
    cache = new GraphCache(async (id) => {
      // The text over the hot-path pool: its length is the cache's measure, and JSON.parse beats Prisma's mapping.
      const text = hot
        ? (await hot.pool.query<{ graph: string }>({ name: 'load-graph', text: `SELECT "graph"::text AS "graph" FROM "WorkflowVersion" WHERE "id" = $1`, values: [id] })).rows[0]?.graph
        : await prisma.workflowVersion.findUnique({ where: { id }, select: { graph: true } }).then((v) => (v ? JSON.stringify(v.graph) : undefined))
      if (text === undefined) throw new PermanentJobError(`Workflow version ${id} no longer exists`)
      return parseGraph(text)
    })
    graphCaches.set(prisma, cache)
  }
  return cache
}

function loadGraph(prisma: PrismaClient, versionId: string): Promise<WorkflowGraph> {
  return graphCache(prisma).get(versionId)
}

/** A draft run's graph, kept on its row (one run's, so not cached). */
async function loadOwnGraph(prisma: PrismaClient, executionId: string): Promise<WorkflowGraph> {
  const rows = await prisma.$queryRaw<{ graph: string | null }[]>`SELECT "graph"::text AS "graph" FROM "Execution" WHERE "id" = ${executionId}`
  const text = rows[0]?.graph
  if (!text) throw new PermanentJobError(`Execution ${executionId} has no graph of its own`)
  return parseGraph(text).graph
}

/**
 * Reads the graphs of these versions into the cache ahead of their runs (the schedules that will fire: 1,000 of them
 * firing together would otherwise each load and parse its graph on the first tick). A graph that does not parse is
 * left to its run, which fails with the reason. Returns how many were read.
 */
export async function warmGraphs(prisma: PrismaClient, versionIds: string[]): Promise<number> {
  const cache = graphCache(prisma)
  const missing = [...new Set(versionIds)].filter((id) => !cache.has(id))
  for (let i = 0; i < missing.length; i += 200) {
    const rows = await prisma.$queryRawUnsafe<{ id: string; graph: string }[]>(
      `SELECT "id", "graph"::text AS "graph" FROM "WorkflowVersion" WHERE "id" = ANY($1::text[])`,
      missing.slice(i, i + 200),
    )
    for (const r of rows) {
      try {
        cache.prime(r.id, parseGraph(r.graph))
      } catch {
        // its run reports it
      }
    }
  }
  return missing.length
}

async function resumeState(prisma: PrismaClient, executionId: string, redelivery: boolean) {
  const rows = await prisma.stepRun.findMany({
    where: { executionId },
    select: { id: true, nodeId: true, attempt: true, status: true, outputCounts: true },
    orderBy: { attempt: 'asc' },
  })
  const completed: Record<string, { status: 'succeeded' | 'skipped'; outputCounts: Record<string, number> }> = {}
  const attemptOffset = new Map<string, number>()
  const lost: string[] = []
  for (const r of rows) {
    attemptOffset.set(r.nodeId, Math.max(attemptOffset.get(r.nodeId) ?? 0, r.attempt))
    if (r.status === 'succeeded' || r.status === 'skipped') completed[r.nodeId] = { status: r.status, outputCounts: (r.outputCounts as Record<string, number>) ?? {} }
    if (r.status === 'running') lost.push(r.id)
  }
  if (lost.length > 0) {
    await prisma.stepRun.updateMany({
      where: { id: { in: lost } },
      data: { status: 'failed', finishedAt: new Date(), error: { name: 'WorkerLost', message: 'The worker running this step stopped; the step runs again' } },
    })
  }
  if (redelivery) {
    // Partial output of steps that did not settle is dropped before they run again.
    await prisma.stepOutputPage.deleteMany({ where: { executionId, nodeId: { notIn: Object.keys(completed) } } })
  }
  return { completed, attemptOffset }
}

/** Execution.startNodeId names the trigger a run started from (webhook runs); other values are ignored. */
function triggerNode(graph: WorkflowGraph, registry: NodeRegistry, nodeId: string | null): string | undefined {
  if (!nodeId) return undefined
  const node = graph.nodes.find((n) => n.id === nodeId)
  return node && registry.get(node.type)?.trigger ? nodeId : undefined
}

function serialize(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message }
  return { name: 'Error', message: String(err) }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
