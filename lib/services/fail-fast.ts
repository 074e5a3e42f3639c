// The web process answers 503 within a bounded time when Redis is unreachable instead of waiting for it: its ioredis
// clients give up after one reconnect attempt or a command timeout (lib/redis.ts failFastOptions), and BullMQ's
// Queue, which waits for its connection to be ready before every call however the client is configured, gets a
// deadline here. Workers keep BullMQ's own settings (their blocking connection needs maxRetriesPerRequest: null).
import { ServiceUnavailableError, type Dependency } from '../errors'
import type { ExecutionQueue } from '../queue'

/** Rejects with a 503 naming `dependency` after `ms` if `p` has not settled. */
export function within<T>(p: Promise<T>, ms: number, dependency: Dependency): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceUnavailableError(dependency)), ms)
  })
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer))
}

/**
 * One timer per call (about a microsecond on the webhook path). A job added after its deadline passed is harmless:
 * the caller marks the row failed, and a worker only claims queued or running rows.
 */
export function failFastQueue(queue: ExecutionQueue, ms: number): ExecutionQueue {
  return {
    enqueue: (executionId, start, owner) => within(queue.enqueue(executionId, start, owner), ms, 'redis'),
    remove: (executionId) => within(queue.remove(executionId), ms, 'redis'),
    counts: () => within(queue.counts(), ms, 'redis'),
    state: (executionId) => within(queue.state(executionId), ms, 'redis'),
    requeue: (executionId) => within(queue.requeue(executionId), ms, 'redis'),
    close: () => queue.close(),
  }
}
