// The web process's long-lived clients (Prisma, queue producer, Redis publisher/subscriber), created on first use
// from lib/env and shared by every route handler. Keyed by configuration so tests with their own database and
// queue prefix never get another test's clients; kept in lib/composition/web.ts so Next dev reloads do not leak
// connections.
// Every Redis client here fails fast (lib/services/fail-fast.ts): an unreachable Redis is a 503, not a hung request.
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/generated/client'
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
import { env, requireDatabaseUrl, requireRedisUrl } from '../env'
import { closeAccessListener } from '../auth/access'
import { createRedis, failFastOptions, logOutage, redisConnection } from '../redis'
import { createExecutionQueue, type ExecutionQueue } from '../queue'
import { createRealtimeEmitter, type RealtimeEmitter } from '../realtime/emitter'
import { failFastQueue } from './fail-fast'
import { WebhookWaiters } from './signals'
import { TRIGGERS_CHANGED_CHANNEL } from './trigger-kinds'
import { WatchTracker } from '../realtime/watch'

export interface AppServices {
  prisma: PrismaClient
  queue: ExecutionQueue
  redis: Redis
  emitter: RealtimeEmitter
  waiters: WebhookWaiters
  watch: WatchTracker
  /** Subscribed to activation changes (lib/services/trigger-kinds.ts): webhook path caches clear on each. */
  triggerChanges: Redis
}

export function appServices(): AppServices {
  const config = env()
  const dbUrl = requireDatabaseUrl()
  const redisUrl = requireRedisUrl()
  const key = `${dbUrl}|${redisUrl}|${config.queuePrefix}`
  const all = webProcess().app
  let services = all.get(key)
  if (!services) {
    const timeoutMs = config.failFast.redisTimeoutMs
    const failFast = failFastOptions(timeoutMs)
    const client = (name: string) => {
      const c = createRedis(redisUrl, failFast)
      logOutage(c, name)
      return c
    }
    const redis = client('publisher')
    const watch = new WatchTracker(client('watch subscriber'), {}, redis)
    void watch.subscribe()
    // While disconnected, BullMQ's commands fail at once instead of queueing up; failFastQueue's deadline covers a
    // Redis that does not answer, so its commands skip the per-command timer (the enqueue is on the webhook path).
    const connection = { ...redisConnection(redisUrl), maxRetriesPerRequest: 1, connectTimeout: timeoutMs, enableOfflineQueue: false }
    services = {
      prisma: getPrisma(),
      queue: failFastQueue(createExecutionQueue({ connection, prefix: config.queuePrefix, fairBurst: config.fairness.burst }, config.worker.attempts), timeoutMs),
      redis,
      emitter: createRealtimeEmitter(redis, (tenantId) => watch.isWatched(tenantId)),
      waiters: new WebhookWaiters(client('webhook subscriber')),
      watch,
      triggerChanges: subscribed(client('trigger changes subscriber'), TRIGGERS_CHANGED_CHANNEL),
    }
    all.set(key, services)
  }
  return services
}

/** Tests: close every client this process opened. */
export async function closeAppServices(): Promise<void> {
  const all = [...webProcess().app.values()]
  webProcess().app.clear()
  closeAccessListener()
  for (const s of all) {
    await s.queue.close().catch(() => undefined)
    await s.redis.quit().catch(() => undefined)
    await s.waiters.close().catch(() => undefined)
    await s.watch.close()
    await s.triggerChanges.quit().catch(() => undefined)
  }
}

/** Subscribes (and re-subscribes after reconnects: ioredis does that by itself) without making the caller wait. */
function subscribed(sub: Redis, channel: string): Redis {
  sub.subscribe(channel).catch(() => undefined)
  return sub
}
