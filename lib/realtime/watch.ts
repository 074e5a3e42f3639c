// Who is watching: realtime events are only worth publishing for tenants with a browser connected. Every realtime
// server announces the tenants of its connected sockets on one Redis channel (at once for a tenant's first socket,
// then every HEARTBEAT_MS, and whenever an emitter asks); emitters (workers, web handlers) publish a tenant's events
// only while it was announced within WATCH_TTL_MS. An emitter asks on start and fails open: until WARMUP_MS after
// it subscribed and asked, and whenever its subscription is down, every tenant counts as watched. Unwatched runs are
// still fully recorded; only the live push is skipped.
import type { Redis } from 'ioredis'

export const WATCH_CHANNEL = 'auterity:realtime:watch'
/** An emitter that just (re)subscribed asks every realtime server to announce its tenants now. */
export const WATCH_QUERY_CHANNEL = 'auterity:realtime:watch:query'
export const HEARTBEAT_MS = 10_000
export const WATCH_TTL_MS = 3 * HEARTBEAT_MS
/** Time for the answers to a query to arrive. */
export const WARMUP_MS = 2_000

/** Realtime server side: counts sockets per tenant and announces the watched tenants. */
export class WatchAnnouncer {
  private readonly sockets = new Map<string, number>()
  private readonly timer: NodeJS.Timeout

  /** `sub`: a connection of its own for queries from emitters (optional: heartbeats alone also work, more slowly). */
  constructor(
    private readonly pub: Pick<Redis, 'publish'>,
    heartbeatMs = HEARTBEAT_MS,
    private readonly sub?: Redis,
  ) {
    this.timer = setInterval(() => this.announce([...this.sockets.keys()]), heartbeatMs)
    this.timer.unref()
    if (sub) {
      sub.on('message', (channel: string) => channel === WATCH_QUERY_CHANNEL && void this.announce([...this.sockets.keys()]))
      void sub.subscribe(WATCH_QUERY_CHANNEL).catch(() => undefined)
    }
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
    void this.sub?.quit().catch(() => undefined)
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

  /** `sub` listens (subscriber mode); `pub` asks realtime servers to announce (optional: then heartbeats only). */
  constructor(
    private readonly sub: Redis,
    opts: WatchTrackerOptions = {},
    private readonly pub?: Pick<Redis, 'publish'>,
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
    // Announcements made while disconnected were missed: fail open, then warm up again for a whole heartbeat
    // (ioredis resubscribes after 'ready', so an answer to the query below may arrive before it listens).
    sub.on('close', () => (this.healthy = false))
    sub.on('ready', () => {
      if (!this.subscribed) return
      this.startedAt = this.now() + HEARTBEAT_MS
      this.healthy = true
      this.ask()
    })
  }

  private ask(): void {
    void this.pub?.publish(WATCH_QUERY_CHANNEL, '?').catch(() => undefined)
  }

  /** Resolves once subscribed; until then (and if it fails) every tenant counts as watched. */
  async subscribe(): Promise<void> {
    try {
      await this.sub.subscribe(WATCH_CHANNEL)
      this.subscribed = true
      this.healthy = true
      this.startedAt = this.now()
      this.ask()
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
