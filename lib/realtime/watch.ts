// Who is watching: realtime events are only worth publishing for tenants with a browser connected. Every realtime
// server announces the tenants of its connected sockets on one Redis channel (at once for a tenant's first socket,
// then every HEARTBEAT_MS); emitters (workers, web handlers) publish a tenant's events only while it was announced
// within WATCH_TTL_MS. An emitter fails open: during its first WARMUP_MS, and whenever its subscription is down,
// every tenant counts as watched. Unwatched runs are still fully recorded; only the live push is skipped.
import type { Redis } from 'ioredis'

export const WATCH_CHANNEL = 'auterity:realtime:watch'
export const HEARTBEAT_MS = 10_000
export const WATCH_TTL_MS = 3 * HEARTBEAT_MS
/** Longer than a heartbeat: by then every realtime server has announced its tenants once. */
export const WARMUP_MS = HEARTBEAT_MS + 2_000

/** Realtime server side: counts sockets per tenant and announces the watched tenants. */
export class WatchAnnouncer {
  private readonly sockets = new Map<string, number>()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly pub: Pick<Redis, 'publish'>,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.timer = setInterval(() => this.announce([...this.sockets.keys()]), heartbeatMs)
    this.timer.unref()
  }

  /** A socket of `tenantId` connected; resolves once its first announcement is published. */
  async connected(tenantId: string): Promise<void> {
    const n = (this.sockets.get(tenantId) ?? 0) + 1
    this.sockets.set(tenantId, n)
    if (n === 1) await this.announce([tenantId])
  }

  disconnected(tenantId: string): void {
    const n = (this.sockets.get(tenantId) ?? 1) - 1
    if (n <= 0) this.sockets.delete(tenantId)
    else this.sockets.set(tenantId, n)
  }

  private async announce(tenantIds: string[]): Promise<void> {
    if (tenantIds.length === 0) return
    await this.pub.publish(WATCH_CHANNEL, JSON.stringify(tenantIds)).catch(() => undefined)
  }

  close(): void {
    clearInterval(this.timer)
  }
}

export interface WatchTrackerOptions {
  ttlMs?: number
  warmupMs?: number
  now?: () => number
}

/** Emitter side: which tenants were announced lately. `sub` is a connection of its own (it enters subscriber mode). */
export class WatchTracker {
  private readonly seen = new Map<string, number>()
  private startedAt: number
  private healthy = false
  private subscribed = false
  private readonly ttlMs: number
  private readonly warmupMs: number
  private readonly now: () => number

  constructor(
    private readonly sub: Redis,
    opts: WatchTrackerOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? WATCH_TTL_MS
    this.warmupMs = opts.warmupMs ?? WARMUP_MS
    this.now = opts.now ?? Date.now
    this.startedAt = this.now()
    sub.on('message', (channel: string, raw: string) => {
      if (channel !== WATCH_CHANNEL) return
      try {
        const at = this.now()
        for (const id of JSON.parse(raw) as unknown[]) if (typeof id === 'string') this.seen.set(id, at)
      } catch {
        // not ours
      }
    })
    // Announcements made while disconnected were missed: fail open, then warm up again (ioredis resubscribes).
    sub.on('close', () => (this.healthy = false))
    sub.on('ready', () => {
      if (!this.subscribed) return
      this.startedAt = this.now()
      this.healthy = true
    })
  }

  /** Resolves once subscribed; until then (and if it fails) every tenant counts as watched. */
  async subscribe(): Promise<void> {
    try {
      await this.sub.subscribe(WATCH_CHANNEL)
      this.subscribed = true
      this.healthy = true
    } catch {
      this.healthy = false
    }
  }

  isWatched(tenantId: string): boolean {
    const now = this.now()
    if (!this.healthy || now - this.startedAt < this.warmupMs) return true
    const at = this.seen.get(tenantId)
    if (at === undefined) return false
    if (now - at <= this.ttlMs) return true
    this.seen.delete(tenantId)
    return false
  }

  async close(): Promise<void> {
    await this.sub.quit().catch(() => undefined)
  }
}
