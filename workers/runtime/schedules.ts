// The worker's side of Schedule triggers. Every worker keeps BullMQ's job schedulers equal to the distinct keys of the
// TriggerRegistration rows of kind 'schedule' (one scheduler per set of fire times and zone), on each "triggers
// changed" message and on a periodic full pass since a message can be lost. Any worker may do it; a Redis lock keeps
// it to one pass at a time (they would redo each other's upserts), and an unchanged scheduler is left alone. Every
// worker consumes ticks; which one gets a tick does not matter: lib/services/schedule-ticks.ts makes each tick start
// exactly one run per schedule through a unique row in PostgreSQL.
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { ZodError } from 'zod'
import type { PrismaClient } from '../../lib/db/generated/client'
import { env } from '../../lib/env'
import { scheduleTriggerParams } from '../../lib/nodes/schedule-trigger/definition'
import { redisConnection, createRedis } from '../../lib/redis'
import { createScheduleQueue, createScheduleWorker, sameScheduler, type ScheduleQueue, type SchedulerSpec, type ScheduleWorkerHandle } from '../../lib/queue/schedules'
import type { ExecutionDeps } from '../../lib/services/executions'
import { TickStarter, type TickOutcome } from '../../lib/services/schedule-ticks'
import { scheduleSpec } from '../../lib/services/schedules'
import { onTriggersChanged } from '../../lib/services/trigger-kinds'
import { log } from '../../lib/log'

const logger = log.child({ component: 'schedules' })

export interface ScheduleRunnerConfig {
  /** Full pass period (lib/env `schedules.syncIntervalMs`). */
  syncIntervalMs: number
  /** lib/env `schedules.defaultTimezone`. */
  defaultTimezone: string
  /** Ticks this worker handles at once. */
  concurrency?: number
  /** Each tick's outcome (tests and the bench watch them). */
  onTick?(outcomes: TickOutcome[], tick: { key: string; tickAt: Date }): void
  /** Reads the scheduled versions' graphs ahead of their first tick (the worker's graph cache); every worker does,
   * after each pass, since any of them may take a tick. */
  warm?(versionIds: string[]): Promise<unknown>
  /** How long one worker's pass keeps others from doing the same pass at once (they would redo its upserts). */
  syncLockMs?: number
  log?(line: string): void
}

export interface ScheduleRunnerDeps {
  prisma: PrismaClient
  starts: ExecutionDeps
  redisUrl: string
  queuePrefix?: string
}

/** A key's scheduler id: a digest, as BullMQ reads ids with colons and spaces as its old repeatable-job keys. */
export const schedulerId = (key: string) => `s-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`

/** The scheduler a key's params ask for; intervals start on the next slot counted from the epoch. */
export function schedulerFor(key: string, config: unknown, defaultTimezone: string, now = Date.now()): SchedulerSpec {
  const spec = scheduleSpec(scheduleTriggerParams.parse(config), defaultTimezone)
  const id = schedulerId(key)
  if (spec.kind === 'cron') return { id, key, pattern: spec.pattern, tz: spec.tz }
  return { id, key, every: spec.everyMs, startDate: (Math.floor(now / spec.everyMs) + 1) * spec.everyMs }
}

const SYNC_LOCK = 'auterity:schedules:sync'
/** ScheduleTick rows are kept a week (the skipped ones are the record of what downtime cost). */
const TICK_RETENTION_MS = 7 * 86_400_000

export class ScheduleRunner {
  private readonly queue: ScheduleQueue
  private worker?: ScheduleWorkerHandle
  private sub?: Redis
  private unsubscribe?: () => Promise<void>
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private again = false
  private closed = false
  private warming?: Promise<void>
  private readonly log: (line: string) => void
  private readonly starter: TickStarter

  constructor(
    private readonly deps: ScheduleRunnerDeps,
    private readonly config: ScheduleRunnerConfig,
  ) {
    this.queue = createScheduleQueue({ connection: redisConnection(deps.redisUrl), prefix: deps.queuePrefix })
    this.log = config.log ?? ((line) => logger.info(line))
    this.starter = new TickStarter(deps.starts, { defaultTimezone: config.defaultTimezone, log: this.log })
  }

  async start(): Promise<void> {
    this.sub = createRedis(this.deps.redisUrl)
    this.unsubscribe = await onTriggersChanged(this.sub, () => void this.sync())
    this.worker = createScheduleWorker({ connection: redisConnection(this.deps.redisUrl), prefix: this.deps.queuePrefix, concurrency: this.config.concurrency ?? 10 }, (tick) =>
      this.onTick(tick),
    )
    await this.worker.waitUntilReady()
    await this.sync()
    this.timer = setInterval(() => void this.sync(), this.config.syncIntervalMs)
    this.timer.unref()
  }

  /** One pass (coalesced: a call during a pass runs one more pass after it). Errors are logged; the next pass retries. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.pass()
      .then(() => void this.warm())
      .catch((err) => logger.error({ err }, 'schedule sync failed'))
      .finally(() => {
        this.running = undefined
        if (this.again && !this.closed) {
          this.again = false
          void this.sync()
        }
      })
    return this.running
  }

  private async pass(): Promise<void> {
    if (this.closed) return
    // One pass at a time across workers (each would otherwise redo the same upserts); a worker that finds the lock
    // taken leaves it to the holder, which also got the change message and passes again after its current pass.
    const lock = `${this.deps.queuePrefix ?? ''}:${SYNC_LOCK}`
    const token = `${process.pid}:${Math.random()}`
    if ((await this.deps.starts.redis.set(lock, token, 'PX', this.config.syncLockMs ?? 60_000, 'NX')) !== 'OK') return
    try {
      await this.reconcile()
    } finally {
      if ((await this.deps.starts.redis.get(lock)) === token) await this.deps.starts.redis.del(lock)
    }
  }

  private async reconcile(): Promise<void> {
    // Schedulers first, registrations second: a scheduler another worker adds meanwhile is not in `existing`, so this
    // pass cannot remove it for want of a registration it read too early.
    const existing = new Map((await this.queue.list()).map((s) => [s.id, s]))
    const keys = await this.deps.prisma.triggerRegistration.findMany({ where: { kind: 'schedule' }, distinct: ['key'], select: { key: true, config: true } })
    const wanted: SchedulerSpec[] = []
    for (const { key, config } of keys) {
      try {
        wanted.push(schedulerFor(key, config, this.config.defaultTimezone))
      } catch (err) {
        this.log(`[schedules] schedule "${key}" cannot be read by this worker: ${(err as Error).message}`)
      }
    }
    const ids = new Set(keys.map((k) => schedulerId(k.key)))
    const upserts = wanted.filter((w) => {
      const have = existing.get(w.id)
      return !have || !sameScheduler(have, w)
    })
    const removals = [...existing.keys()].filter((id) => !ids.has(id))
    await inBatches(upserts, (w) => this.queue.upsert(w))
    await inBatches(removals, (id) => this.queue.remove(id))
    await this.deps.prisma.$executeRaw`DELETE FROM "ScheduleTick" WHERE "id" IN (
      SELECT "id" FROM "ScheduleTick" WHERE "createdAt" < ${new Date(Date.now() - TICK_RETENTION_MS)} LIMIT 10000)`
  }

  /** In the background (a pass does not wait for it), one at a time. */
  private warm(): Promise<void> {
    if (!this.config.warm || this.closed) return Promise.resolve()
    this.warming ??= this.deps.prisma.triggerRegistration
      .findMany({ where: { kind: 'schedule' }, distinct: ['versionId'], select: { versionId: true }, take: 10_000 })
      .then((rows) => this.config.warm!(rows.map((r) => r.versionId)))
      .then(
        () => undefined,
        (err: Error) => this.log(`[schedules] reading the scheduled graphs ahead failed (their runs read them): ${err.message}`),
      )
      .finally(() => (this.warming = undefined))
    return this.warming
  }

  private async onTick(tick: { key: string; tickAt: Date }): Promise<void> {
    let outcomes: TickOutcome[]
    try {
      outcomes = await this.starter.handle(tick)
    } catch (err) {
      if (!(err instanceof ZodError)) throw err // PostgreSQL or Redis trouble: BullMQ retries the tick
      this.log(`[schedules] tick of ${tick.tickAt.toISOString()} for "${tick.key}" dropped: its schedule does not parse`)
      return
    }
    this.config.onTick?.(outcomes, tick)
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.running
    await this.warming
    await this.unsubscribe?.()
    await this.worker?.close()
    await this.queue.close()
    await this.sub?.quit().catch(() => undefined)
  }
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>, size = 50): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn))
}

/** Started by the worker runtime; config defaults from lib/env. */
export async function startScheduleRunner(deps: ScheduleRunnerDeps, config: Partial<ScheduleRunnerConfig> = {}): Promise<ScheduleRunner> {
  const runner = new ScheduleRunner(deps, { ...env().schedules, ...config })
  await runner.start()
  return runner
}
