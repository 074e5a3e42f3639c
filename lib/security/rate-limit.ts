// Rate limits over Redis (rate-limiter-flexible), shared by every web process: sign-in, password reset and invite
// (per account and per IP, with a lockout after repeated sign-in failures), the API per workspace and webhooks per
// workflow. Over a limit: TooManyRequestsError (429 with Retry-After). Limits come from env().rateLimits; 0 turns
// one off. If Redis cannot answer, the request goes on (fail open) except for sign-in, where the caller decides.
import type { Redis } from 'ioredis'
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import { env } from '../env'
import { TooManyRequestsError } from '../errors'

export type LimitName =
  | 'signin-account'
  | 'signin-ip'
  | 'reset-account'
  | 'reset-ip'
  | 'invite-workspace'
  | 'api-workspace'
  | 'webhook-workflow'

interface LimitSpec {
  points: number
  durationS: number
  /** Once over, blocked for this long (the sign-in lockout). */
  blockS?: number
  message: string
}

function specs(): Record<LimitName, LimitSpec> {
  const r = env().rateLimits
  return {
    'signin-account': { points: r.signInPerAccount, durationS: r.lockoutS || r.windowS, blockS: r.lockoutS, message: 'Too many failed sign-ins for this account; it is locked for a while' },
    'signin-ip': { points: r.signInPerIp, durationS: r.windowS, message: 'Too many sign-in attempts from this address' },
    'reset-account': { points: r.resetPerAccount, durationS: 3600, message: 'Too many password reset requests for this account' },
    'reset-ip': { points: r.resetPerIp, durationS: 3600, message: 'Too many password reset requests from this address' },
    'invite-workspace': { points: r.invitesPerWorkspace, durationS: 3600, message: 'Too many invitations from this workspace' },
    'api-workspace': { points: r.apiPerWorkspace, durationS: r.windowS, message: 'Too many API requests for this workspace' },
    'webhook-workflow': { points: r.webhookPerWorkflow, durationS: r.windowS, message: 'Too many webhook calls for this workflow' },
  }
}

export class RateLimits {
  private readonly limiters = new Map<LimitName, RateLimiterRedis | null>()

  constructor(private readonly redis: Redis, private readonly prefix = `${env().queuePrefix}:rl`) {}

  private limiter(name: LimitName): RateLimiterRedis | null {
    if (!this.limiters.has(name)) {
      const spec = specs()[name]
      this.limiters.set(
        name,
        spec.points > 0
          ? new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.prefix}:${name}`, points: spec.points, duration: spec.durationS, blockDuration: spec.blockS ?? 0 })
          : null,
      )
    }
    return this.limiters.get(name)!
  }

  /** Counts one (or `points`) against `key`; throws TooManyRequestsError once over. */
  async consume(name: LimitName, key: string, points = 1): Promise<void> {
    const limiter = this.limiter(name)
    if (!limiter) return
    try {
      await limiter.consume(key, points)
    } catch (res) {
      if (res instanceof RateLimiterRes) throw new TooManyRequestsError(specs()[name].message, res.msBeforeNext / 1000)
      // Redis did not answer: let the request through rather than fail every request while Redis is away.
    }
  }

  /** Throws if `key` is over (or blocked) now, without counting: checked before a sign-in attempt. */
  async check(name: LimitName, key: string): Promise<void> {
    const limiter = this.limiter(name)
    if (!limiter) return
    const res = await limiter.get(key).catch(() => null)
    if (res && res.consumedPoints > limiter.points) throw new TooManyRequestsError(specs()[name].message, res.msBeforeNext / 1000)
    const blocked = res && res.consumedPoints >= limiter.points && res.msBeforeNext > 0
    if (blocked) throw new TooManyRequestsError(specs()[name].message, res.msBeforeNext / 1000)
  }

  /** Forgets `key`'s count (a successful sign-in clears its failures). */
  async reset(name: LimitName, key: string): Promise<void> {
    await this.limiter(name)?.delete(key).catch(() => undefined)
  }
}
