import { afterEach, describe, expect, it, vi } from 'vitest'
import { noteServerTime, resetServerClock, serverNow } from '@/lib/client/server-clock'
import { elapsed } from '@/lib/client/format'

afterEach(() => {
  resetServerClock()
  vi.useRealTimers()
})

describe('server clock', () => {
  it('measures a run the server just started from zero upwards when the browser clock is 3 s behind', () => {
    vi.useFakeTimers({ now: Date.parse('2026-06-01T12:00:00.000Z') })
    const sentAt = Date.now()
    vi.advanceTimersByTime(100)
    // The server answered in the middle of the round trip, its clock 3 s ahead; the run started 20 ms before.
    noteServerTime('2026-06-01T12:00:03.050Z', sentAt)
    const startedAt = '2026-06-01T12:00:03.030Z'
    expect(elapsed(startedAt, null, Date.now())).toBe(0) // the browser's own clock: it would be -2930 ms
    expect(elapsed(startedAt, null, serverNow())).toBe(70)
    vi.advanceTimersByTime(1000)
    expect(elapsed(startedAt, null, serverNow())).toBe(1070)
  })

  it.each([[undefined], ['not a date']])('ignores an answer without a usable time (%s)', (serverTime) => {
    vi.useFakeTimers({ now: 1_000_000 })
    noteServerTime(serverTime, 999_000)
    expect(serverNow()).toBe(1_000_000)
  })
})
