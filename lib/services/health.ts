// Readiness: PostgreSQL and Redis both answer within a short timeout.
import type { AppServices } from './app'

const TIMEOUT_MS = 2000

function within<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())])
}

export async function checkReadiness(s: Pick<AppServices, 'prisma' | 'redis'>) {
  const [db, redis] = await Promise.allSettled([within(s.prisma.$queryRaw`SELECT 1`), within(s.redis.ping())])
  return { ok: db.status === 'fulfilled' && redis.status === 'fulfilled', postgres: db.status === 'fulfilled', redis: redis.status === 'fulfilled' }
}
