// Fair sharing of the execution queue between workspaces. BullMQ takes jobs from its plain wait list (FIFO) before
// its prioritized set, and the prioritized set in priority order. Each workspace has a counter of its runs waiting:
// its first `burst` go to the wait list as before; past that, a run is added with priority = its place in the
// workspace's line, so a workspace that queues 10,000 runs takes its turn behind the others' (whose next run has a
// low place or none) instead of ahead of them. The counter is taken at enqueue and given back when a worker first
// picks the job up (or when a queued job is removed); it expires after an hour without enqueues, so a count left
// behind by a lost job cannot weigh on a workspace for good.
import type { Redis as RedisClient } from 'ioredis'

/** BullMQ's highest priority value (2^21 - 1). */
export const MAX_PRIORITY = 2_097_151
const IDLE_RESET_MS = 3600_000

const TAKE = `local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n`
const GIVE_BACK = `local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) end
return n`

export const fairKey = (prefix: string | undefined, tenantId: string) => `${prefix ?? 'bull'}:executions:fair:${tenantId}`

/** The priority for a workspace's next run (undefined: the plain wait list). */
export async function takePlace(client: RedisClient, prefix: string | undefined, tenantId: string, burst: number): Promise<number | undefined> {
  const n = Number(await client.eval(TAKE, 1, fairKey(prefix, tenantId), IDLE_RESET_MS))
  return n > burst ? Math.min(n, MAX_PRIORITY) : undefined
}

export async function givePlaceBack(client: RedisClient, prefix: string | undefined, tenantId: string): Promise<void> {
  await client.eval(GIVE_BACK, 1, fairKey(prefix, tenantId))
}
