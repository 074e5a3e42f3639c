// The event-delivery queue: one job per delivery attempt, jobId `<deliveryId>-<replays>-<attempt>`, so an attempt is
// enqueued once however many processes try (the publish, a failed run's retry, the recovery pass). The
// EventDelivery row (PostgreSQL) is the record: a job only asks a worker to claim that attempt, and a claim is a
// conditional update, so a job delivered twice starts one run.
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq'
import { logOutage } from '../redis'
import type { QueueConfig } from './index'
import { log } from '../log'

const logger = log.child({ component: 'queue' })

export const EVENT_DELIVERIES_QUEUE = 'event-deliveries'

export interface DeliveryJob {
  deliveryId: string
  /** The delivery's replay cycle the attempt belongs to. */
  replays: number
  /** 1-based attempt within the cycle. */
  attempt: number
}

export interface EventDeliveryQueue {
  /** Enqueues the attempts (after `delayMs`); an attempt whose job is still queued is not added again. */
  enqueue(jobs: DeliveryJob[], delayMs?: number): Promise<void>
  close(): Promise<void>
}

export const deliveryJobId = (job: DeliveryJob) => `${job.deliveryId}-${job.replays}-${job.attempt}`

export function createEventDeliveryQueue(cfg: QueueConfig): EventDeliveryQueue {
  const queue = new Queue<DeliveryJob>(EVENT_DELIVERIES_QUEUE, { connection: cfg.connection as ConnectionOptions, prefix: cfg.prefix })
  logOutage(queue, 'event delivery producer')
  return {
    async enqueue(jobs, delayMs = 0) {
      if (jobs.length === 0) return
      await queue.addBulk(
        jobs.map((data) => ({
          name: 'deliver',
          data,
          // Finished jobs are dropped at once: their ids are free for the recovery pass, and the row is the record.
          opts: { jobId: deliveryJobId(data), delay: delayMs > 0 ? delayMs : undefined, removeOnComplete: true, removeOnFail: true },
        })),
      )
    },
    close: () => queue.close(),
  }
}

export interface EventDeliveryWorkerHandle {
  close(): Promise<void>
  waitUntilReady(): Promise<void>
}

/** `deliver` must not throw for a bad delivery (it records the failure on the row): a throw is logged and dropped, and
 * the recovery pass takes the attempt up again later, so a poisoned job never loops. */
export function createEventDeliveryWorker(cfg: QueueConfig & { concurrency?: number }, deliver: (job: DeliveryJob) => Promise<void>): EventDeliveryWorkerHandle {
  const worker = new Worker<DeliveryJob>(EVENT_DELIVERIES_QUEUE, async (job: Job<DeliveryJob>) => deliver(job.data), {
    connection: cfg.connection as ConnectionOptions,
    prefix: cfg.prefix,
    concurrency: cfg.concurrency ?? 20,
  })
  worker.on('failed', (job, err) => logger.error({ queue: EVENT_DELIVERIES_QUEUE, jobId: job?.id, err: err.message }, 'event delivery job failed'))
  worker.on('error', (err) => logger.error({ queue: EVENT_DELIVERIES_QUEUE, err: err.message }, 'queue worker error'))
  return { close: () => worker.close(), waitUntilReady: () => worker.waitUntilReady().then(() => undefined) }
}
