'use client'
import { useEffect, useState } from 'react'
import { serverNow } from '@/lib/client/server-clock'

/**
 * The current time on the server's clock, re-rendering every `intervalMs` while `active` (running durations tick).
 * Read at each render, not kept from the last tick: a render that brings a run's new start time (it just went from
 * queued to running) measures it against now, not against a time up to a tick — or, while nothing ran, minutes — old.
 */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [, setTick] = useState(0)
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => setTick((n) => n + 1), intervalMs)
    return () => clearInterval(t)
  }, [active, intervalMs])
  return serverNow()
}
