// Per-deployment circuit breaker: after `failureThreshold` consecutive failures the circuit opens and the
// deployment is skipped for `cooldownMs`; then one trial call is let through (half-open): success closes it,
// failure opens it again for another cooldown. In-process state: each worker learns on its own.

export interface BreakerOptions {
  failureThreshold: number
  cooldownMs: number
}

export type BreakerState = 'closed' | 'open' | 'half-open'

export class CircuitBreaker {
  private failures = 0
  private openedAt = 0
  private state: BreakerState = 'closed'
  private trialInFlight = false

  constructor(private readonly opts: BreakerOptions) {}

  current(now: number): BreakerState {
    if (this.state === 'open' && now - this.openedAt >= this.opts.cooldownMs) this.state = 'half-open'
    return this.state
  }

  /** Whether a call may go to this deployment now. Claims the single half-open trial slot. */
  tryAcquire(now: number): boolean {
    const s = this.current(now)
    if (s === 'closed') return true
    if (s === 'open' || this.trialInFlight) return false
    this.trialInFlight = true
    return true
  }

  onSuccess(): void {
    this.failures = 0
    this.state = 'closed'
    this.trialInFlight = false
  }

  onFailure(now: number): void {
    this.trialInFlight = false
    this.failures++
    if (this.state === 'half-open' || this.failures >= this.opts.failureThreshold) {
      this.state = 'open'
      this.openedAt = now
    }
  }

  /** The call was abandoned by the caller (not the deployment's fault): release a trial slot, count nothing. */
  release(): void {
    this.trialInFlight = false
  }
}

export class BreakerBoard {
  private readonly breakers = new Map<string, CircuitBreaker>()
  constructor(private readonly opts: BreakerOptions) {}

  get(deploymentId: string): CircuitBreaker {
    let b = this.breakers.get(deploymentId)
    if (!b) this.breakers.set(deploymentId, (b = new CircuitBreaker(this.opts)))
    return b
  }

  states(now: number): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([id, b]) => [id, b.current(now)]))
  }
}
