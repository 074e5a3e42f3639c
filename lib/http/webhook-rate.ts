// Webhook calls per workflow (AUTERITY_RATE_WEBHOOK per AUTERITY_RATE_WINDOW_S), cheaply: the webhook path is the hot
// one, and a Redis round trip per call would cost it a good part of its throughput. Each process counts calls in
// memory and hands Redis the count every FLUSH_MS or every BATCH calls of a workflow, whichever comes first; when
// Redis answers that a workflow is over, this process refuses its calls locally until the window frees up. So the
// limit holds across processes, a call costs a Map update, and a burst can overshoot by at most BATCH calls per
// process before the refusals start.
import { env } from '../env'
import { TooManyRequestsError } from '../errors'
import type { RateLimits } from '../security/rate-limit'

const FLUSH_MS = 100
const BATCH = 50

export class WebhookRateLimiter {
  private readonly pending = new Map<string, number>()
  private readonly blockedUntil = new Map<string, number>()
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly limits: () => RateLimits) {}

  /** Counts one call of `workflowId`; throws TooManyRequestsError while the workflow is over its limit. */
  hit(workflowId: string): void {
    const { webhookPerWorkflow, windowS } = env().rateLimits
    if (webhookPerWorkflow <= 0) return
    const until = this.blockedUntil.get(workflowId)
    if (until !== undefined) {
      const left = until - Date.now()
      if (left > 0) throw new TooManyRequestsError(`Too many webhook calls for this workflow: the limit is ${webhookPerWorkflow} per ${windowS} s (AUTERITY_RATE_WEBHOOK)`, left / 1000)
      this.blockedUntil.delete(workflowId)
    }
    const n = (this.pending.get(workflowId) ?? 0) + 1
    this.pending.set(workflowId, n)
    if (n >= BATCH) this.flush(workflowId)
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flushAll(), FLUSH_MS)
      this.timer.unref()
    }
  }

  /** Hands every pending count to Redis now (tests; and the timer). */
  flushAll(): Promise<void> {
    this.timer = null
    return Promise.all([...this.pending.keys()].map((id) => this.flush(id))).then(() => undefined)
  }

  private async flush(workflowId: string): Promise<void> {
    const points = this.pending.get(workflowId) ?? 0
    this.pending.delete(workflowId)
    if (points === 0) return
    try {
      await this.limits().consume('webhook-workflow', workflowId, points)
    } catch (err) {
      if (err instanceof TooManyRequestsError) this.blockedUntil.set(workflowId, Date.now() + err.retryAfterS * 1000)
      // Anything else (Redis away): calls go on, as the API's limits fail open.
    }
  }
}
