// Redis connections. BullMQ workers need maxRetriesPerRequest: null; every other client uses the same options.
import { Redis, type RedisOptions } from 'ioredis'
import { requireRedisUrl } from './env'

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

export function createRedis(url?: string, extra: RedisOptions = {}): Redis {
  return new Redis({ ...redisConnection(url), ...extra })
}

export { Redis }
