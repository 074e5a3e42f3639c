// How full the BullMQ queues are, for the metrics' gauges (lib/metrics): jobs by state and the age of the oldest job
// next in line, per queue, read when a scraper asks (never on the hot path). One Redis connection for all queues,
// whose commands give up after one reconnect or the timeout: with Redis down a scrape answers without these gauges
// instead of hanging.
import { Queue, type ConnectionOptions } from 'bullmq'
import { Redis, type RedisOptions } from 'ioredis'
import { EXECUTIONS_QUEUE } from './index'
import { EVENT_DELIVERIES_QUEUE } from './events'
import { SCHEDULES_QUEUE } from './schedules'
import { TEMPLATE_TESTS_QUEUE } from './template-tests'
import { CAMPAIGNS_QUEUE } from './campaigns'

export const ALL_QUEUES = [EXECUTIONS_QUEUE, EVENT_DELIVERIES_QUEUE, SCHEDULES_QUEUE, TEMPLATE_TESTS_QUEUE, CAMPAIGNS_QUEUE]

/** Prioritized jobs (the fair queue's) looked at for the oldest: the next ones to run. */
const PRIORITIZED_HEAD = 20

export interface QueueDepthRow {
  queue: string
  /** Ready to run: in order or by priority (a paused queue's jobs wait here too). */
  waiting: number
  active: number
  delayed: number
  /** Age of the oldest of the jobs next in line (the FIFO list's oldest and the first prioritized ones); null: none. */
  oldestWaitingMs: number | null
}

export interface QueueDepthReader {
  read(): Promise<QueueDepthRow[]>
  close(): Promise<void>
}

export function createQueueDepthReader(cfg: { connection: RedisOptions; prefix?: string }, names: string[] = ALL_QUEUES, timeoutMs = 2000): QueueDepthReader {
  let redis: Redis | undefined
  let queues: Queue[] | undefined
  const open = () => {
    if (!redis) {
      redis = new Redis({ ...cfg.connection, maxRetriesPerRequest: 1, commandTimeout: timeoutMs, connectTimeout: timeoutMs })
      redis.on('error', () => undefined) // the scrape that fails says so; reconnects go on quietly
    }
    queues ??= names.map((name) => new Queue(name, { connection: redis as unknown as ConnectionOptions, prefix: cfg.prefix }))
    return queues
  }
  const readOne = async (queue: Queue): Promise<QueueDepthRow> => {
    const [counts, fifo, prioritized] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
      queue.getJobs(['waiting'], 0, 0, true),
      queue.getJobs(['prioritized'], 0, PRIORITIZED_HEAD - 1, true),
    ])
    const stamps = [...fifo, ...prioritized].map((j) => j?.timestamp).filter((t): t is number => typeof t === 'number')
    return {
      queue: queue.name,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      oldestWaitingMs: stamps.length ? Math.max(0, Date.now() - Math.min(...stamps)) : null,
    }
  }
  return {
    async read() {
      const all = Promise.all(open().map(readOne))
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs)))
      try {
        return await Promise.race([all, late])
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      await Promise.all((queues ?? []).map((q) => q.close().catch(() => undefined)))
      redis?.disconnect()
    },
  }
}
