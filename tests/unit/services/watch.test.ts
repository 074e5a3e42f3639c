import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { Redis } from 'ioredis'
import { WATCH_CHANNEL, WATCH_QUERY_CHANNEL, WatchAnnouncer, WatchTracker } from '@/lib/realtime/watch'

/** A stand-in subscriber connection: emits 'message' like ioredis in subscriber mode. */
function fakeSub(opts: { failSubscribe?: boolean } = {}) {
  const sub = new EventEmitter() as EventEmitter & { subscribe(ch: string): Promise<number>; quit(): Promise<string> }
  sub.subscribe = async () => {
    if (opts.failSubscribe) throw new Error('connection refused')
    return 1
  }
  sub.quit = async () => 'OK'
  return sub
}

describe('WatchTracker', () => {
  it('counts a tenant as watched for the TTL after an announcement, and fails open while warming up or unsubscribed', async () => {
    let now = 1_000
    const sub = fakeSub()
    const tracker = new WatchTracker(sub as unknown as Redis, { ttlMs: 100, warmupMs: 50, now: () => now })
    expect(tracker.isWatched('t1')).toBe(true) // not subscribed yet: fail open
    await tracker.subscribe()
    expect(tracker.isWatched('t1')).toBe(true) // warming up
    now += 60
    expect(tracker.isWatched('t1')).toBe(false)
    sub.emit('message', WATCH_CHANNEL, JSON.stringify(['t1']))
    sub.emit('message', 'other-channel', JSON.stringify(['t2']))
    sub.emit('message', WATCH_CHANNEL, 'not json')
    expect([tracker.isWatched('t1'), tracker.isWatched('t2')]).toEqual([true, false])
    now += 101
    expect(tracker.isWatched('t1')).toBe(false) // announcement expired
    sub.emit('close')
    expect(tracker.isWatched('t2')).toBe(true) // connection lost: fail open
    sub.emit('ready')
    expect(tracker.isWatched('t2')).toBe(true) // reconnected: warming up again, for a whole heartbeat
    now += 60
    expect(tracker.isWatched('t2')).toBe(true)
    now += 10_000
    expect(tracker.isWatched('t2')).toBe(false)
  })

  it('asks realtime servers to announce when it subscribes and after a reconnect', async () => {
    const asked: string[] = []
    const sub = fakeSub()
    const tracker = new WatchTracker(sub as unknown as Redis, {}, { publish: async (ch: string) => (asked.push(ch), 1) } as unknown as Redis)
    await tracker.subscribe()
    sub.emit('close')
    sub.emit('ready')
    expect(asked).toEqual([WATCH_QUERY_CHANNEL, WATCH_QUERY_CHANNEL])
  })

  it('fails open when it cannot subscribe', async () => {
    const tracker = new WatchTracker(fakeSub({ failSubscribe: true }) as unknown as Redis, { warmupMs: 0 })
    await tracker.subscribe()
    expect(tracker.isWatched('anyone')).toBe(true)
  })
})

describe('WatchAnnouncer', () => {
  it("announces a tenant's first socket at once and every watched tenant on each heartbeat", async () => {
    const sent: string[][] = []
    const announcer = new WatchAnnouncer({ publish: async (_ch: string, msg: string) => (sent.push(JSON.parse(msg)), 1) } as unknown as Redis, 20)
    try {
      await announcer.connected('a')
      await announcer.connected('a') // second socket of the same tenant: no new announcement
      await announcer.connected('b')
      expect(sent).toEqual([['a'], ['b']])
      announcer.disconnected('a')
      announcer.disconnected('a')
      await new Promise((r) => setTimeout(r, 30))
      expect(sent.at(-1)).toEqual(['b']) // a has no sockets left
    } finally {
      announcer.close()
    }
  })

  it('answers a query from an emitter at once', async () => {
    const sent: string[][] = []
    const sub = fakeSub()
    const announcer = new WatchAnnouncer({ publish: async (_ch: string, msg: string) => (sent.push(JSON.parse(msg)), 1) } as unknown as Redis, 60_000, sub as unknown as Redis)
    try {
      await announcer.connected('a')
      sub.emit('message', WATCH_QUERY_CHANNEL, '?')
      await new Promise((r) => setTimeout(r, 5))
      expect(sent).toEqual([['a'], ['a']])
    } finally {
      announcer.close()
    }
  })
})
