// The template-test queue: one job per TemplateTestRun row, jobId = the row's id, so a run is enqueued once however
// often it is asked. The row (PostgreSQL) is the record: the job only asks a worker to claim it and run its cases
// (workers/runtime/template-tests.ts), and the claim is a conditional update, so a job delivered twice runs once.
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq'
import type { QueueConfig } from './index'
import { log } from '../log'

const logger = log.child({ component: 'queue' })

export const TEMPLATE_TESTS_QUEUE = 'template-tests'

export interface TemplateTestJob {
  testRunId: string
  tenantId: string
}

export interface TemplateTestQueue {
  enqueue(job: TemplateTestJob): Promise<void>
  close(): Promise<void>
}

export function createTemplateTestQueue(cfg: QueueConfig): TemplateTestQueue {
  const queue = new Queue<TemplateTestJob>(TEMPLATE_TESTS_QUEUE, { connection: cfg.connection as ConnectionOptions, prefix: cfg.prefix })
  queue.on('error', (err) => logger.error({ queue: TEMPLATE_TESTS_QUEUE, err: err.message }, 'queue error'))
  return {
    async enqueue(data) {
      // A throw in the processor is the database being away, not a failing case (those are recorded on the row).
      await queue.add('test', data, { jobId: data.testRunId, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } })
    },
    close: () => queue.close(),
  }
}

export interface TemplateTestWorkerHandle {
  close(): Promise<void>
  waitUntilReady(): Promise<void>
}

/** `firstDelivery`: no earlier delivery of the job started (one that did died or threw, and left its row running). */
export function createTemplateTestWorker(
  cfg: QueueConfig & { concurrency?: number },
  run: (job: TemplateTestJob, delivery: { firstDelivery: boolean }) => Promise<void>,
): TemplateTestWorkerHandle {
  const worker = new Worker<TemplateTestJob>(TEMPLATE_TESTS_QUEUE, (job: Job<TemplateTestJob>) => run(job.data, { firstDelivery: job.attemptsStarted <= 1 }), {
    connection: cfg.connection as ConnectionOptions,
    prefix: cfg.prefix,
    concurrency: cfg.concurrency ?? 2,
  })
  worker.on('failed', (job, err) => logger.error({ queue: TEMPLATE_TESTS_QUEUE, jobId: job?.id, err: err.message }, 'template test run failed'))
  worker.on('error', (err) => logger.error({ queue: TEMPLATE_TESTS_QUEUE, err: err.message }, 'queue worker error'))
  return { close: () => worker.close(), waitUntilReady: () => worker.waitUntilReady().then(() => undefined) }
}
