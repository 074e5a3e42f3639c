// Fair sharing of the execution queue between workspaces. BullMQ takes jobs from its plain wait list (FIFO) before
// its prioritized set, and the prioritized set in priority order. Each workspace has a counter of its runs waiting:
// its first `burst` go to the wait list as before; past that, a run is added with priority = its place in the
// workspace's line, so a workspace that queues 10,000 runs takes its turn behind the others' (whose next run has a
// low place or none) instead of ahead of them. The counter is taken at enqueue and given back when a worker first
// picks the job up (or when a queued job is removed); it expires after an hour without changes, so a count left
// behind by a lost job cannot weigh on a workspace for good.
//
// The webhook path must not pay a Redis round trip for this: each process counts locally and settles with Redis in
// one pipeline every FLUSH_MS (INCRBY/DECRBY per workspace, which also returns the workspace's count across all
// processes). A place is the last count heard plus this process's runs since: exact within one process, and off by
// at most FLUSH_MS of other processes' enqueues, which only blurs the order of one workspace's own runs.
import type { Redis as RedisClient } from 'ioredis'

/** BullMQ's highest priority value (2^21 - 1). */
export const MAX_PRIORITY = 2_097_151
const IDLE_RESET_MS = 3600_000
export const FLUSH_MS = 20
/** A count not heard from Redis for this long is forgotten (the workspace's runs may all have been picked up since). */
const STALE_MS = 1000

const ADD = `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n <= 0 then redis.call('DEL', KEYS[1]) return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n`

export const fairKey = (prefix: string | undefined, tenantId: string) => `${prefix ?? 'bull'}:executions:fair:${tenantId}`

interface Line {
  /** The workspace's count across processes, as last heard. */
  known: number
  heardAt: number
  /** This process's changes not yet sent. */
  pending: number
}

export class FairCounter {
  private readonly lines = new Map<string, Line>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined

  constructor(
    private readonly redis: () => RedisClient,
    private readonly prefix: string | undefined,
  ) {}

  private line(tenantId: string): Line {
    let l = this.lines.get(tenantId)
    if (!l) this.lines.set(tenantId, (l = { known: 0, heardAt: 0, pending: 0 }))
    else if (l.pending === 0 && Date.now() - l.heardAt > STALE_MS) l.known = 0
    return l
  }

  /** Take a place in the workspace's line: the priority for its next run, or undefined for the plain wait list. */
  take(tenantId: string, burst: number): number | undefined {
    const l = this.line(tenantId)
    l.pending++
    this.schedule()
    const place = l.known + l.pending
    return place > burst ? Math.min(place, MAX_PRIORITY) : undefined
  }

  /** A run of the workspace left the line (picked up by a worker, or removed). */
  giveBack(tenantId: string): void {
    this.line(tenantId).pending--
    this.schedule()
  }

  private schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flushing = this.flush().finally(() => (this.flushing = undefined))
    }, FLUSH_MS)
    this.timer.unref()
  }

  /** Sends the pending changes; a failed send keeps them for the next one. */
  async flush(): Promise<void> {
    const sent = [...this.lines].filter(([, l]) => l.pending !== 0).map(([tenantId, l]) => ({ tenantId, l, delta: l.pending }))
    if (sent.length === 0) return
    // Counted as known until the reply says the workspace's total: places taken meanwhile continue the line.
    const at = Date.now()
    for (const s of sent) {
      s.l.pending -= s.delta
      s.l.known = Math.max(0, s.l.known + s.delta)
      s.l.heardAt = at
    }
    const pipe = this.redis().pipeline()
    for (const s of sent) pipe.eval(ADD, 1, fairKey(this.prefix, s.tenantId), s.delta, IDLE_RESET_MS)
    const replies = await pipe.exec().catch(() => null)
    const now = Date.now()
    sent.forEach((s, i) => {
      const [err, value] = replies?.[i] ?? [new Error('not sent'), null]
      if (err) {
        s.l.known = Math.max(0, s.l.known - s.delta)
        s.l.pending += s.delta
        this.schedule()
        return
      }
      s.l.known = Math.max(0, Number(value))
      s.l.heardAt = now
    })
    // Lines with nothing pending and nothing known are dropped (the map stays as small as the active workspaces).
    for (const [tenantId, l] of this.lines) if (l.pending === 0 && l.known === 0) this.lines.delete(tenantId)
  }

  /** Sends what is pending now (shutdown, tests). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.flushing
    await this.flush()
  }
}
