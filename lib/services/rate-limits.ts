// The web process's rate limits, over its Redis publisher connection (lib/security/rate-limit.ts).
import { RateLimits } from '../security/rate-limit'
import { appServices } from './app'

const byRedis = new WeakMap<object, RateLimits>()

export function rateLimits(): RateLimits {
  const { redis } = appServices()
  let limits = byRedis.get(redis)
  if (!limits) byRedis.set(redis, (limits = new RateLimits(redis)))
  return limits
}
