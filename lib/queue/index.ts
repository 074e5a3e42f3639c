// The execution queue: the only module that imports bullmq. A job is `{ executionId }` with jobId = executionId,
// so a queued execution can be removed by id; the Execution row (PostgreSQL) is the source of truth.
import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq'
import { Redis, type RedisOptions } from 'ioredis'
import { logOutage } from '../redis'
import { injectTraceContext, type TraceCarrier } from '../telemetry/propagation'
import { SpanKind, tracingOn, withSpan } from '../telemetry/spans'
import { FairCounter } from './fairness'
import { log } from '../log'

const logger = log.child({ component: 'queue' })

export const EXECUTIONS_QUEUE = 'executions'

export interface QueueConfig {
  connection: RedisOptions
  /** Redis key prefix; tests use their own so they never see each other's jobs. */
  prefix?: string
  /** Fair sharing between workspaces (./fairness.ts): runs a workspace may have waiting before its further runs queue
   * behind other workspaces'. 0 or unset: plain FIFO. */
  fairBurst?: number
}

/** Whose run a job is: fairness and concurrency limits are per workspace and workflow. */
export interface JobOwner {
  tenantId: string
  workflowId: string
}

export interface ExecutionJobData {
  executionId: string
  /** What the worker needs to start a new run without reading the row first (small inputs only). */
  start?: ExecutionStart
  tenantId?: string
  workflowId?: string
  /** The job holds a place in its workspace's line (./fairness.ts), given back when a worker first picks it up. */
  fair?: true
  /** W3C trace context of the span that enqueued it (lib/telemetry): the worker's run continues that trace. */
  trace?: TraceCarrier
}

/** The row's fields a run starts from; a worker may begin with these while its claim of the row commits. */
export interface ExecutionStart {
  tenantId: string
  workflowId: string
  versionId: string
  mode: string
  startNodeId: string | null
  input: unknown
  createdAt: string
}

export interface ExecutionQueue {
  enqueue(executionId: string, start?: ExecutionStart, owner?: JobOwner): Promise<void>
  /** Removes a job that is still waiting or delayed; false when it is running or gone. */
  remove(executionId: string): Promise<boolean>
  /** The job's BullMQ state ('waiting', 'active', 'failed'…), or 'missing' when Redis holds no such job. */
  state(executionId: string): Promise<string>
  /** Enqueues the execution again (the worker reads its row): a finished job left under its id is removed first.
   * False when a job for it is still waiting, delayed or running. */
  requeue(executionId: string): Promise<boolean>
  counts(): Promise<{ waiting: number; active: number; delayed: number; failed: number }>
  close(): Promise<void>
}

/** Thrown by a processor when retrying cannot help (the execution row is gone, the graph is unreadable…). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PermanentJobError'
  }
}

export interface WorkerConfig extends QueueConfig {
  concurrency?: number
  /** Delivery attempts for a job whose setup throws (a failing node is not a job failure). */
  attempts?: number
  /** How long a job stays locked without a heartbeat: a killed worker's job is redelivered after about this long. */
  lockDurationMs?: number
  stalledIntervalMs?: number
  maxStalledCount?: number
}

export const DEFAULT_JOB_ATTEMPTS = 3

export function createExecutionQueue(cfg: QueueConfig, attempts = DEFAULT_JOB_ATTEMPTS): ExecutionQueue {
  const queue = new Queue<ExecutionJobData>(EXECUTIONS_QUEUE, { connection: cfg.connection as ConnectionOptions, prefix: cfg.prefix })
  logOutage(queue, 'queue producer')
  const burst = cfg.fairBurst ?? 0
  // The workspace counters (./fairness.ts) on a connection of their own, opened with the first counted run. Its
  // commands wait for the connection (the web's fail-fast deadline around enqueue bounds that wait).
  let counters: Redis | undefined
  const counter = () => (counters ??= quietRedis({ ...cfg.connection, enableOfflineQueue: true }))
  const fair = new FairCounter(counter, cfg.prefix)
  const add = async (executionId: string, start?: ExecutionStart, owner?: JobOwner) => {
    const data: ExecutionJobData = start ? { executionId, start } : { executionId }
    let priority: number | undefined
    if (owner) {
      data.tenantId = owner.tenantId
      data.workflowId = owner.workflowId
      if (burst > 0) {
        priority = fair.take(owner.tenantId, burst)
        data.fair = true
      }
    }
    if (!tracingOn()) return void (await addJob(executionId, data, priority))
    await withSpan('publish executions', { kind: SpanKind.PRODUCER, attributes: publishAttributes(executionId) }, async () => {
      data.trace = injectTraceContext()
      await addJob(executionId, data, priority)
    })
  }
  const addJob = (executionId: string, data: ExecutionJobData, priority?: number) =>
    queue.add('run', data, {
      jobId: executionId,
      priority,
      attempts,
      backoff: { type: 'exponential', delay: 500 },
      // The Execution row is the record; a completed job is deleted at once (cheaper than trimming a kept list).
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    })
  return {
    async enqueue(executionId, start, owner) {
      await add(executionId, start, owner)
    },
    async state(executionId) {
      const job = await queue.getJob(executionId)
      return job ? await job.getState() : 'missing'
    },
    async requeue(executionId) {
      const job = await queue.getJob(executionId)
      if (job) {
        const state = await job.getState()
        if (state !== 'failed' && state !== 'completed' && state !== 'unknown') return false
        await job.remove()
      }
      await add(executionId)
      return true
    },
    async remove(executionId) {
      const job = await queue.getJob(executionId)
      if (!job) return false
      const state = await job.getState()
      if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false
      const removed = (await queue.remove(executionId)) === 1
      if (removed && job.data.fair && job.data.tenantId && job.attemptsStarted === 0) fair.giveBack(job.data.tenantId)
      return removed
    },
    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed')
      return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 }
    },
    async close() {
      await queue.close()
      if (counters?.status === 'ready') await fair.close().catch(() => undefined)
      counters?.disconnect()
    },
  }
}

const publishAttributes = (executionId: string) => ({
  'messaging.system': 'bullmq',
  'messaging.destination.name': EXECUTIONS_QUEUE,
  'messaging.operation.type': 'send',
  'messaging.message.id': executionId,
  'auterity.execution.id': executionId,
})

/** A connection of this module's own: its errors are logged by the BullMQ clients beside it, not thrown. */
function quietRedis(options: RedisOptions): Redis {
  const client = new Redis(options)
  client.on('error', () => undefined)
  return client
}

export interface JobContext {
  executionId: string
  start?: ExecutionStart
  /** The job's first time in a worker (not a retry, not a redelivery after a worker died). */
  firstDelivery: boolean
  /** 1-based delivery attempt (stalled redeliveries do not count as attempts). */
  attempt: number
  isFinalAttempt: boolean
  /** Whose run it is (absent on jobs re-enqueued by the reconciler). */
  owner?: JobOwner
  /** The trace the run continues (see ExecutionJobData.trace). */
  trace?: TraceCarrier
  /** Put the job back for `delayMs` (its workspace or workflow is at its concurrency limit): throws, so the
   * processor ends here; the job is not counted as an attempt. */
  postpone(delayMs: number): Promise<never>
}

export interface ExecutionWorkerHandle {
  /** Waits for running jobs to finish, then disconnects. */
  close(): Promise<void>
  waitUntilReady(): Promise<void>
}

export function createExecutionWorker(
  cfg: WorkerConfig,
  process: (job: JobContext) => Promise<void>,
  hooks: {
    onFailed?: (executionId: string, err: Error, final: boolean) => void | Promise<void>
    /** BullMQ could not extend these jobs' locks: the stalled-job check may hand them to another worker. */
    onLockLost?: (executionIds: string[]) => void
  } = {},
): ExecutionWorkerHandle {
  const attempts = cfg.attempts ?? DEFAULT_JOB_ATTEMPTS
  let counters: Redis | undefined
  const counter = () => (counters ??= quietRedis(cfg.connection))
  const fair = new FairCounter(counter, cfg.prefix)
  const worker = new Worker<ExecutionJobData>(
    EXECUTIONS_QUEUE,
    async (job: Job<ExecutionJobData>, token?: string) => {
      const maxAttempts = job.opts.attempts ?? attempts
      const { tenantId, workflowId } = job.data
      // Its first pick-up gives its place in the workspace's line back (a postponed job keeps waiting unranked).
      if (job.data.fair && tenantId && job.attemptsStarted <= 1 && job.attemptsMade === 0) {
        fair.giveBack(tenantId)
      }
      try {
        await process({
          executionId: job.data.executionId,
          start: job.data.start,
          firstDelivery: job.attemptsMade === 0 && job.attemptsStarted <= 1,
          attempt: job.attemptsMade + 1,
          isFinalAttempt: job.attemptsMade + 1 >= maxAttempts,
          owner: tenantId && workflowId ? { tenantId, workflowId } : undefined,
          trace: job.data.trace,
          async postpone(delayMs) {
            await job.moveToDelayed(Date.now() + delayMs, token)
            throw new DelayedError()
          },
        })
      } catch (err) {
        if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message)
        throw err
      }
    },
    {
      connection: cfg.connection as ConnectionOptions,
      prefix: cfg.prefix,
      concurrency: cfg.concurrency ?? 20,
      lockDuration: cfg.lockDurationMs ?? 30_000,
      stalledInterval: cfg.stalledIntervalMs ?? 30_000,
      maxStalledCount: cfg.maxStalledCount ?? 2,
    },
  )
  worker.on('failed', (job, err) => {
    if (!job) return
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? attempts) || /stalled/i.test(err.message)
    void hooks.onFailed?.(job.data.executionId, err, final)
  })
  worker.on('lockRenewalFailed', (jobIds) => hooks.onLockLost?.(jobIds))
  // A Redis hiccup must not crash the process; BullMQ reconnects on its own.
  worker.on('error', (err) => logger.error({ queue: EXECUTIONS_QUEUE, err: err.message }, 'queue error'))
  return {
    async close() {
      await worker.close()
      if (counters?.status === 'ready') await fair.close().catch(() => undefined)
      counters?.disconnect()
    },
    waitUntilReady: () => worker.waitUntilReady().then(() => undefined),
  }
}
