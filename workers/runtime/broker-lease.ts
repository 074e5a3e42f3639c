// One holder per name across all workers: a Redis key set only when absent (or already ours) with an expiry, renewed
// by its holder and deleted by it on release. A worker that dies stops renewing, and the name is free again once the
// key expires; a worker that was cut off and finds its key gone or taken gives the name up (renew returns false).
import type { Redis } from 'ioredis'

const ACQUIRE = `local v = redis.call('get', KEYS[1])
if v == false or v == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0`
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`

export class RedisLease {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** This worker's token: the value of every key it holds. */
    readonly token: string,
    readonly ttlMs: number,
  ) {}

  key(name: string): string {
    return `${this.prefix}:${name}`
  }

  async acquire(name: string): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key(name), this.token, String(this.ttlMs))) === 1
  }

  async renew(name: string): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key(name), this.token, String(this.ttlMs))) === 1
  }

  async release(name: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(name), this.token)
  }
}
