// Roles and API keys are read from the database (a session JWT lives 30 days: the role it was signed with would
// outlive a demotion), then cached for a few seconds per process. A change is published on a Redis channel and every
// process drops its whole cache; the cache is used only while this process's subscription is live, and starts empty
// after each (re)subscribe, so a message missed during a Redis outage cannot keep a revoked role alive: meanwhile
// every request reads the database.
import type { Redis } from 'ioredis'
import { webProcess } from '../composition/web'
import { env } from '../env'
import { createRedis } from '../redis'

const CACHE_MS = 5_000
const MAX_ENTRIES = 10_000

export class AccessCache {
  /** True while the invalidation subscription is live; otherwise every lookup goes to the database. */
  live = false
  private readonly entries = new Map<string, { value: unknown; at: number }>()
  // Bumped by clear(): a lookup that started before a change must not store what it read.
  private cleared = 0
  private readonly listeners = new Set<() => void>()

  /** How many times the cache was dropped (a lookup compares it before storing; tests wait on it). */
  get generation(): number {
    return this.cleared
  }

  async get<V>(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.live ? this.entries.get(key) : undefined
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as V
    const generation = this.generation
    const value = await load()
    if (this.live && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear()
      this.entries.set(key, { value, at: Date.now() })
    }
    return value
  }

  clear(): void {
    this.entries.clear()
    this.cleared++
    for (const listener of this.listeners) listener()
  }

  /** Called after every drop of the cache (a change here or elsewhere, a resubscribe): holders of long-lived
   * sessions (realtime sockets) check them again. Returns the unsubscribe. */
  onClear(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

export function accessChannel(): string {
  return `${env().queuePrefix}:access-changed`
}

export interface AccessState {
  cache: AccessCache
  listener?: { key: string; sub: Redis }
}

/** The process's cache, its invalidation subscription started on first use (and moved if the configuration changed). */
export function accessCache(): AccessCache {
  // One per process (kept in lib/composition/web.ts, so Next dev reloads keep one subscription).
  const web = webProcess()
  const state = (web.access ??= { cache: new AccessCache() })
  const url = env().redisUrl
  const key = `${url}|${accessChannel()}`
  if (url && state.listener?.key !== key) {
    state.listener?.sub.disconnect()
    state.cache.live = false
    state.listener = { key, sub: subscribe(url, accessChannel(), state.cache) }
  }
  return state.cache
}

function subscribe(url: string, channel: string, cache: AccessCache): Redis {
  // Resubscribing ourselves on every 'ready' tells us when the subscription is back, so the cache restarts empty then.
  const sub = createRedis(url, { autoResubscribe: false, maxRetriesPerRequest: 1 })
  sub.on('ready', () => {
    sub.subscribe(channel).then(
      () => {
        cache.clear()
        cache.live = true
      },
      () => undefined, // the connection dropped again; the next 'ready' retries
    )
  })
  sub.on('close', () => {
    cache.live = false
  })
  sub.on('error', () => undefined) // ioredis reconnects by itself; until then the cache stays off
  sub.on('message', () => cache.clear())
  return sub
}

/**
 * After a membership or API key changed: this process forgets at once, every other process when the message arrives.
 * A failed publish is not retried: a process that did not hear it had its subscription down (cache off) or drops the
 * entry within CACHE_MS.
 */
export async function publishAccessChange(redis: Redis): Promise<void> {
  webProcess().access?.cache.clear()
  await redis.publish(accessChannel(), 'changed').catch(() => undefined)
}

/** Tests and shutdown: close the subscription. */
export function closeAccessListener(): void {
  const state = webProcess().access
  state?.listener?.sub.disconnect()
  if (state) {
    state.listener = undefined
    state.cache.live = false
    state.cache.clear()
  }
}
