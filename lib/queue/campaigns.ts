// The scheduled-campaign queue: one delayed job per MessagingCampaign row, jobId = the row's id, due at its sendAt.
// The row (PostgreSQL) is the record: the job only asks a worker to claim it (scheduled → running, a conditional
// update, so a cancelled campaign never sends and a job delivered twice runs once) and send it
// (workers/runtime/campaigns.ts). Adding a job that exists is a no-op, which is how lost jobs are put back.
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq'
import type { QueueConfig } from './index'
import { log } from '../log'

const logger = log.child({ component: 'queue' })

export const CAMPAIGNS_QUEUE = 'messaging-campaigns'

export interface CampaignJob {
  campaignId: string
  tenantId: string
}

export interface CampaignQueue {
  /** Due at `sendAt` (at once when it passed). */
  schedule(job: CampaignJob, sendAt: Date): Promise<void>
  /** Drops a waiting job (a cancelled or deleted campaign); a job already running is left alone. */
  unschedule(campaignId: string): Promise<void>
  close(): Promise<void>
}

export function createCampaignQueue(cfg: QueueConfig): CampaignQueue {
  const queue = new Queue<CampaignJob>(CAMPAIGNS_QUEUE, { connection: cfg.connection as ConnectionOptions, prefix: cfg.prefix })
  queue.on('error', (err) => logger.error({ queue: CAMPAIGNS_QUEUE, err: err.message }, 'queue error'))
  return {
    async schedule(data, sendAt) {
      await queue.add('send', data, {
        jobId: data.campaignId,
        delay: Math.max(0, sendAt.getTime() - Date.now()),
        attempts: 3,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: true,
        removeOnFail: true,
      })
    },
    async unschedule(campaignId) {
      const job = await queue.getJob(campaignId)
      if (job && (await job.isDelayed())) await job.remove().catch(() => undefined)
    },
    close: () => queue.close(),
  }
}

export interface CampaignWorkerHandle {
  close(): Promise<void>
  waitUntilReady(): Promise<void>
}

/** `firstDelivery`: no earlier delivery of the job started (one that did died or threw, and left its row running). */
export function createCampaignWorker(
  cfg: QueueConfig & { concurrency?: number },
  run: (job: CampaignJob, delivery: { firstDelivery: boolean }) => Promise<void>,
): CampaignWorkerHandle {
  const worker = new Worker<CampaignJob>(CAMPAIGNS_QUEUE, (job: Job<CampaignJob>) => run(job.data, { firstDelivery: job.attemptsStarted <= 1 }), {
    connection: cfg.connection as ConnectionOptions,
    prefix: cfg.prefix,
    concurrency: cfg.concurrency ?? 4,
  })
  worker.on('failed', (job, err) => logger.error({ queue: CAMPAIGNS_QUEUE, jobId: job?.id, err: err.message }, 'campaign job failed'))
  worker.on('error', (err) => logger.error({ queue: CAMPAIGNS_QUEUE, err: err.message }, 'queue worker error'))
  return { close: () => worker.close(), waitUntilReady: () => worker.waitUntilReady().then(() => undefined) }
}
