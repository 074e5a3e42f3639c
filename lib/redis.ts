// Redis connections. BullMQ workers need maxRetriesPerRequest: null (the default here); the web process's clients
// add failFastOptions so a request fails with a 503 instead of waiting while Redis is unreachable.
import type { EventEmitter } from 'node:events'
import { Redis, type RedisOptions } from 'ioredis'
import { requireRedisUrl } from './env'
import { log } from './log'

const logger = log.child({ component: 'redis' })

export function redisConnection(url = requireRedisUrl()): RedisOptions {
  const u = new URL(url)
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  }
}

/** A command fails after one reconnect attempt or `timeoutMs`, whichever comes first. Never for a BullMQ Worker. */
export function failFastOptions(timeoutMs: number): RedisOptions {
  return { maxRetriesPerRequest: 1, commandTimeout: timeoutMs, connectTimeout: timeoutMs }
}

/**
 * One log line per outage, not one per reconnect attempt: without an 'error' listener ioredis prints every failed
 * attempt, and BullMQ's Queue prints what it cannot emit.
 */
export function logOutage(source: EventEmitter, name: string): void {
  let reported = false
  source.on('error', (err: Error) => {
    if (!reported) logger.error({ connection: name, err: err.message }, 'Redis connection lost')
    reported = true
  })
  source.on('ready', () => {
    reported = false
  })
}

export function createRedis(url?: string, extra: RedisOptions = {}): Redis {
  return new Redis({ ...redisConnection(url), ...extra })
}

export { Redis }

/**
 * One line per Redis setting that puts accepted runs at risk: eviction (BullMQ needs `noeviction`) and no persistence
 * (neither AOF nor RDB snapshots). None when CONFIG is refused (some managed services disable it).
 */
export async function redisDurabilityWarnings(redis: Redis): Promise<string[]> {
  let config: Record<string, string>
  try {
    const pairs = (await redis.call('CONFIG', 'GET', 'maxmemory-policy', 'appendonly', 'save')) as string[]
    config = Object.fromEntries(pairs.flatMap((v, i) => (i % 2 === 0 ? [[v, pairs[i + 1]]] : [])))
  } catch {
    return []
  }
  const warnings: string[] = []
  const policy = config['maxmemory-policy']
  if (policy && policy !== 'noeviction') {
    warnings.push(`[redis] warning: maxmemory-policy is ${policy}, so Redis may evict queued jobs (BullMQ needs noeviction); lost runs wait for the reconciler`)
  }
  if (config.appendonly === 'no' && !config.save?.trim()) {
    warnings.push('[redis] warning: Redis keeps nothing on disk (appendonly no, no save points), so a restart loses queued jobs; lost runs wait for the reconciler')
  }
  return warnings
}
