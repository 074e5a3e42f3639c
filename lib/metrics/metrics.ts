// The Prometheus metrics of one process (web or worker), in a registry of its own: what the studio counts, with
// which labels, and the scrape-time gauges. docs/metrics-and-logs.md lists them all. On the hot paths only counter
// increments and histogram observations happen here; queue depths and pool use are read when a scraper asks.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { BoundedLabel, methodLabel, nameLabel, statusClass } from './labels'
import { log } from '../log'

const logger = log.child({ component: 'metrics' })

/** What a connection pool tells of itself (pg.Pool's counters). */
export interface PoolStats {
  totalCount: number
  idleCount: number
  waitingCount: number
  options?: { max?: number }
}

/** One queue's jobs by state, and how long the oldest job next in line has waited (null: none waiting). */
export interface QueueDepth {
  queue: string
  waiting: number
  active: number
  delayed: number
  oldestWaitingMs: number | null
}

/** The fields of an AI usage ledger row the metrics read (lib/ai UsageRow). */
export interface AiUsage {
  provider?: string | null
  model?: string | null
  outcome: string
  inputTokens: number
  outputTokens: number
  costPico: bigint
  latencyMs: number
}

export type SignInFailure = 'password' | 'unknown_email' | 'code' | 'no_workspace' | 'locked'

const SECONDS = 1000
/** From a quick step (a Set node, ~1 ms) to a long wait or browser session. */
const STEP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
const RUN_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const AI_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80]

export interface MetricsOptions {
  /** Process and Node.js metrics (CPU, memory, event loop lag, GC, handles); default true. */
  defaultMetrics?: boolean
}

/** Workflows one process reports by id (auterity_workflow_executions_finished_total); the rest are `other`. */
export const MAX_WORKFLOW_LABELS = 500

export class Metrics {
  readonly registry = new Registry()

  private readonly executions = new Counter({
    name: 'auterity_executions_finished_total',
    help: 'Workflow runs that reached a final state in this process, by status (succeeded, failed, canceled) and trigger mode',
    labelNames: ['status', 'mode'] as const,
    registers: [this.registry],
  })
  // By workflow for "which workflow fails": the workflow id is the one id allowed as a label, and only the first
  // MAX_WORKFLOW_LABELS workflows a process sees get their own series (later ones count as `other`).
  private readonly workflowExecutions = new Counter({
    name: 'auterity_workflow_executions_finished_total',
    help: 'Workflow runs that reached a final state in this process, by workflow id and status (at most 500 workflows per process, then "other")',
    labelNames: ['workflow', 'status'] as const,
    registers: [this.registry],
  })
  private readonly workflows = new BoundedLabel(MAX_WORKFLOW_LABELS)
  private readonly executionSeconds = new Histogram({
    name: 'auterity_execution_duration_seconds',
    help: 'Time from a run’s start to its final state, by status and trigger mode',
    labelNames: ['status', 'mode'] as const,
    buckets: RUN_BUCKETS,
    registers: [this.registry],
  })
  private readonly stepSeconds = new Histogram({
    name: 'auterity_step_duration_seconds',
    help: 'Duration of each step attempt, by node type and status (succeeded, failed)',
    labelNames: ['node_type', 'status'] as const,
    buckets: STEP_BUCKETS,
    registers: [this.registry],
  })
  private readonly retryAttempts = new Counter({
    name: 'auterity_step_retry_attempts_total',
    help: 'Step attempts that failed and were tried again, by node type',
    labelNames: ['node_type'] as const,
    registers: [this.registry],
  })
  private readonly retriedSteps = new Counter({
    name: 'auterity_retried_steps_total',
    help: 'Steps that needed at least one retry, by node type and how they ended (succeeded, failed)',
    labelNames: ['node_type', 'outcome'] as const,
    registers: [this.registry],
  })
  private readonly httpSeconds = new Histogram({
    name: 'auterity_http_request_duration_seconds',
    help: 'API route handlers: time to the answer, by route pattern, method and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  })
  private readonly webhookSeconds = new Histogram({
    name: 'auterity_webhook_request_duration_seconds',
    help: 'Webhook calls: time to the answer, by kind (production, test), method and status class',
    labelNames: ['kind', 'method', 'status_class'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  })
  private readonly aiRequests = new Counter({
    name: 'auterity_ai_requests_total',
    help: 'AI router calls (chat and embeddings), by provider and model that answered and outcome (ok, error, budget_exceeded)',
    labelNames: ['provider', 'model', 'outcome'] as const,
    registers: [this.registry],
  })
  private readonly aiTokens = new Counter({
    name: 'auterity_ai_tokens_total',
    help: 'Tokens billed by AI providers, by provider, model and direction (input, output)',
    labelNames: ['provider', 'model', 'direction'] as const,
    registers: [this.registry],
  })
  private readonly aiCost = new Counter({
    name: 'auterity_ai_cost_usd_total',
    help: 'Cost of AI calls in US dollars at the configured prices, by provider and model',
    labelNames: ['provider', 'model'] as const,
    registers: [this.registry],
  })
  private readonly aiSeconds = new Histogram({
    name: 'auterity_ai_request_duration_seconds',
    help: 'AI router calls: time including retries and failover, by provider, model and outcome',
    labelNames: ['provider', 'model', 'outcome'] as const,
    buckets: AI_BUCKETS,
    registers: [this.registry],
  })
  private readonly signInFailures = new Counter({
    name: 'auterity_signin_failures_total',
    help: 'Refused password sign-ins, by reason (password, unknown_email, code, no_workspace, locked)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  })

  private readonly pools = new Map<string, () => PoolStats | undefined>()
  private queueSource?: () => Promise<QueueDepth[]>
  /** One read of the queues serves both queue gauges of a scrape. */
  private queueRead?: { at: number; depths: Promise<QueueDepth[]> }
  /** Models are configured per workspace: bounded per process so a long tail cannot flood the series. */
  private readonly models = new BoundedLabel(200)
  private readonly providers = new BoundedLabel(30)
  private readonly routes = new BoundedLabel(300, 200)

  constructor(opts: MetricsOptions = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry })
    const pools = this.pools
    new Gauge({
      name: 'auterity_db_pool_connections',
      help: 'PostgreSQL connections of this process’s pools, by pool and state (idle, in_use)',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset()
        for (const [pool, stats] of readPools(pools)) {
          this.set({ pool, state: 'idle' }, stats.idleCount)
          this.set({ pool, state: 'in_use' }, stats.totalCount - stats.idleCount)
        }
      },
    })
    new Gauge({
      name: 'auterity_db_pool_waiting_requests',
      help: 'Queries waiting for a free connection, by pool',
      labelNames: ['pool'] as const,
      registers: [this.registry],
      collect() {
        this.reset()
        for (const [pool, stats] of readPools(pools)) this.set({ pool }, stats.waitingCount)
      },
    })
    new Gauge({
      name: 'auterity_db_pool_max_connections',
      help: 'The most connections each pool opens',
      labelNames: ['pool'] as const,
      registers: [this.registry],
      collect() {
        this.reset()
        for (const [pool, stats] of readPools(pools)) if (stats.options?.max !== undefined) this.set({ pool }, stats.options.max)
      },
    })
    const depths = () => this.readQueues()
    new Gauge({
      name: 'auterity_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting: ready to run, by order or priority; active; delayed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await depths()
        this.reset()
        for (const q of rows) {
          this.set({ queue: q.queue, state: 'waiting' }, q.waiting)
          this.set({ queue: q.queue, state: 'active' }, q.active)
          this.set({ queue: q.queue, state: 'delayed' }, q.delayed)
        }
      },
    })
    new Gauge({
      name: 'auterity_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job next in line in each queue (0 when none waits)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await depths()
        this.reset()
        for (const q of rows) this.set({ queue: q.queue }, (q.oldestWaitingMs ?? 0) / SECONDS)
      },
    })
  }

  /** A run reached a final state. */
  executionFinished(mode: string, status: string, durationMs: number | null, workflowId?: string): void {
    const labels = { status: nameLabel(status), mode: nameLabel(mode) }
    this.executions.inc(labels)
    if (workflowId) this.workflowExecutions.inc({ workflow: this.workflows.value(workflowId), status: labels.status })
    if (durationMs !== null && durationMs >= 0) this.executionSeconds.observe(labels, durationMs / SECONDS)
  }

  /** A step attempt settled (a retried step settles once per attempt). */
  stepSettled(nodeType: string, status: 'succeeded' | 'failed', durationMs: number): void {
    this.stepSeconds.observe({ node_type: nameLabel(nodeType), status }, Math.max(0, durationMs) / SECONDS)
  }

  stepRetrying(nodeType: string): void {
    this.retryAttempts.inc({ node_type: nameLabel(nodeType) })
  }

  /** A step that had been retried ended for good. */
  retriedStepEnded(nodeType: string, outcome: 'succeeded' | 'failed'): void {
    this.retriedSteps.inc({ node_type: nameLabel(nodeType), outcome })
  }

  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpSeconds.observe({ route: this.routes.value(route), method: methodLabel(method), status_class: statusClass(status) }, seconds)
  }

  webhookRequest(kind: 'production' | 'test', method: string, status: number, seconds: number): void {
    this.webhookSeconds.observe({ kind, method: methodLabel(method), status_class: statusClass(status) }, seconds)
  }

  /** One AI router call, as its ledger row records it. */
  aiUsage(row: AiUsage): void {
    const provider = this.providers.value(row.provider)
    const model = this.models.value(row.model)
    const outcome = nameLabel(row.outcome)
    this.aiRequests.inc({ provider, model, outcome })
    this.aiSeconds.observe({ provider, model, outcome }, Math.max(0, row.latencyMs) / SECONDS)
    if (row.inputTokens > 0) this.aiTokens.inc({ provider, model, direction: 'input' }, row.inputTokens)
    if (row.outputTokens > 0) this.aiTokens.inc({ provider, model, direction: 'output' }, row.outputTokens)
    // picodollars: a Number keeps them exactly up to ~9,000 dollars per call, well past any single call.
    if (row.costPico > 0n) this.aiCost.inc({ provider, model }, Number(row.costPico) / 1e12)
  }

  signInFailed(reason: SignInFailure): void {
    this.signInFailures.inc({ reason })
  }

  /** A connection pool reported under `pool` on each scrape; `stats` returns undefined while it does not exist. */
  watchPool(pool: string, stats: () => PoolStats | undefined): void {
    this.pools.set(pool, stats)
  }

  /** The queues' depths, read from BullMQ on each scrape. */
  watchQueues(read: () => Promise<QueueDepth[]>): void {
    this.queueSource = read
    this.queueRead = undefined
  }

  /** The whole exposition, in Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }

  private readQueues(): Promise<QueueDepth[]> {
    if (!this.queueSource) return Promise.resolve([])
    const now = Date.now()
    if (!this.queueRead || now - this.queueRead.at > 1000) {
      // Redis unreachable: the queue gauges are left out of this scrape (an absent series alerts; a stale one would not).
      this.queueRead = {
        at: now,
        depths: this.queueSource().catch((err: Error) => {
          logger.warn({ err }, 'queue depths not read for the metrics')
          return []
        }),
      }
    }
    return this.queueRead.depths
  }
}

function readPools(pools: Map<string, () => PoolStats | undefined>): Array<[string, PoolStats]> {
  const out: Array<[string, PoolStats]> = []
  for (const [name, read] of pools) {
    const stats = read()
    if (stats) out.push([name, stats])
  }
  return out
}

export function createMetrics(opts?: MetricsOptions): Metrics {
  return new Metrics(opts)
}
