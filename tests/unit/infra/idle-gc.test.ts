// lib/infra/idle-gc.ts: a process that goes idle after making garbage collects it once, and only when idle.
import { afterEach, describe, expect, it } from 'vitest'
import { startIdleGc, type IdleGc } from '../../../lib/infra/idle-gc'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** ~64 MB of short-lived objects, as a burst of requests leaves behind. */
function makeGarbage(): number {
  let kept = 0
  for (let i = 0; i < 400; i++) {
    const chunk = Array.from({ length: 20_000 }, (_, k) => ({ k, s: `item-${k}` }))
    kept += chunk.length
  }
  return kept
}

/** Keeps the event loop busy (utilization near 1) for `ms`. */
async function busy(ms: number) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const stop = Date.now() + 20
    while (Date.now() < stop) {
      // spin
    }
    await new Promise((r) => setImmediate(r))
  }
}

describe('idle GC', () => {
  let gc: IdleGc | undefined
  afterEach(() => gc?.stop())

  it('collects once the process goes idle after making garbage, and gives the heap back', async () => {
    const seen: Array<{ beforeMb: number; afterMb: number }> = []
    gc = startIdleGc({ intervalMs: 200, minGrowthMb: 8, onCollect: (c) => seen.push(c) })
    makeGarbage()
    await sleep(1500)
    expect(seen.length).toBeGreaterThanOrEqual(1)
    expect(seen[0].afterMb).toBeLessThan(seen[0].beforeMb)
    // Idle with nothing new: no further collections.
    const count = gc.collections()
    await sleep(1000)
    expect(gc.collections()).toBe(count)
  })

  it('does not collect while the event loop is busy', async () => {
    gc = startIdleGc({ intervalMs: 100, minGrowthMb: 0 })
    await sleep(400) // the start-up collection (growth since 0)
    const count = gc.collections()
    await busy(800)
    expect(gc.collections()).toBe(count)
    await sleep(500)
    expect(gc.collections()).toBeGreaterThan(count)
  })
})
