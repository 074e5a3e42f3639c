// The schedule-tick queue: one BullMQ job scheduler per distinct schedule (the registrations' key: fire times and zone;
// every Schedule trigger with that key starts a run on its tick), and the worker that consumes the ticks. BullMQ keeps exactly one pending job per scheduler, `repeat:<id>:<ms>`
// with <ms> the tick's scheduled time; the next one is added when a worker fetches it. While no worker runs the
// pending job just waits, so after downtime a worker gets the FIRST missed tick, late, and BullMQ schedules the one
// after it from "now" (cron: the next match after now; every: the next slot after now): the ticks in between are
// never created. lib/services/schedule-ticks.ts decides what the late one does (`missed: skip | runOnce`).
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq'
import type { QueueConfig } from './index'
import { log } from '../log'

const logger = log.child({ component: 'queue' })

export const SCHEDULES_QUEUE = 'schedules'

export interface ScheduleTickJobData {
  /** The TriggerRegistration key whose registrations this tick starts. */
  key: string
}

/** What a scheduler should be: a cron pattern read in `tz`, or every `every` ms from `startDate` (a slot boundary). */
export type SchedulerSpec = { id: string; key: string } & ({ pattern: string; tz: string } | { every: number; startDate: number })

export interface ExistingScheduler {
  id: string
  pattern?: string
  tz?: string
  every?: number
  /** The pending tick's time (ms). */
  next?: number
}

export interface ScheduleQueue {
  list(): Promise<ExistingScheduler[]>
  count(): Promise<number>
  /** Creates or replaces the scheduler (replacing one drops its pending tick and schedules the next from now). */
  upsert(spec: SchedulerSpec): Promise<void>
  remove(id: string): Promise<void>
  close(): Promise<void>
}

/** Whether `existing` already is `spec` (then it is left alone: replacing it would drop a late tick waiting in it). */
export function sameScheduler(existing: ExistingScheduler, spec: SchedulerSpec): boolean {
  if ('pattern' in spec) return existing.pattern === spec.pattern && (existing.tz ?? '') === spec.tz && existing.every === undefined
  return existing.every === spec.every && existing.pattern === undefined
}

export function createScheduleQueue(cfg: QueueConfig): ScheduleQueue {
  const queue = new Queue<ScheduleTickJobData>(SCHEDULES_QUEUE, { connection: cfg.connection as ConnectionOptions, prefix: cfg.prefix })
  queue.on('error', (err) => logger.error({ queue: SCHEDULES_QUEUE, err: err.message }, 'queue error'))
  return {
    async list() {
      const all = await queue.getJobSchedulers(0, -1, true)
      return all.map((s) => ({ id: s.key, pattern: s.pattern ?? undefined, tz: s.tz ?? undefined, every: s.every ?? undefined, next: s.next ?? undefined }))
    },
    count: () => queue.getJobSchedulersCount(),
    async upsert(spec) {
      const repeat = 'pattern' in spec ? { pattern: spec.pattern, tz: spec.tz } : { every: spec.every, startDate: spec.startDate }
      await queue.upsertJobScheduler(spec.id, repeat, {
        name: 'tick',
        data: { key: spec.key },
        // The ScheduleTick rows are the record; a failed tick is kept a day to look at.
        opts: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
      })
    },
    async remove(id) {
      await queue.removeJobScheduler(id)
    },
    close: () => queue.close(),
  }
}

export interface ScheduleTickDelivery {
  key: string
  /** The scheduled time, from the job id `repeat:<scheduler>:<ms>`. */
  tickAt: Date
}

export interface ScheduleWorkerHandle {
  close(): Promise<void>
  waitUntilReady(): Promise<void>
}

/** The tick's scheduled time: the job scheduler names each job after it. */
export function tickTime(job: Pick<Job, 'id' | 'timestamp'>): Date {
  const ms = Number(job.id?.slice(job.id.lastIndexOf(':') + 1))
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : job.timestamp)
}

export function createScheduleWorker(
  cfg: QueueConfig & { concurrency?: number },
  process: (tick: ScheduleTickDelivery) => Promise<void>,
): ScheduleWorkerHandle {
  const worker = new Worker<ScheduleTickJobData>(
    SCHEDULES_QUEUE,
    (job) => process({ key: job.data.key, tickAt: tickTime(job) }),
    { connection: cfg.connection as ConnectionOptions, prefix: cfg.prefix, concurrency: cfg.concurrency ?? 50 },
  )
  worker.on('error', (err) => logger.error({ queue: SCHEDULES_QUEUE, err: err.message }, 'queue worker error'))
  return { close: () => worker.close(), waitUntilReady: () => worker.waitUntilReady().then(() => undefined) }
}
