'use client'
// React binding of the realtime layer: `useRealtime(room, handlers)`.
import { useEffect, useRef, useSyncExternalStore } from 'react'
import { RealtimeClient, type RealtimeHandlers, type Room } from './realtime-client'

export type { RealtimeHandlers, Room } from './realtime-client'

let client: RealtimeClient | null = null

/** The page's one socket, created on first use (same origin, session cookie). */
export function getRealtimeClient(): RealtimeClient {
  client ??= new RealtimeClient()
  return client
}

/**
 * Subscribes to a room while the component is mounted: 'tenant', `workflow:${id}` or `execution:${id}`;
 * null subscribes to nothing. Handlers may change every render (kept in a ref); only `room` changes resubscribe.
 * `onResync` runs each time the room is joined (first join and after every reconnect) so the page can refetch
 * what happened before the join.
 */
export function useRealtime(room: Room | null, handlers: RealtimeHandlers): void {
  const ref = useRef(handlers)
  ref.current = handlers
  useEffect(() => {
    if (!room) return
    const proxy: RealtimeHandlers = {
      'execution.updated': (p) => ref.current['execution.updated']?.(p),
      'step.updated': (p) => ref.current['step.updated']?.(p),
      'step.progress': (p) => ref.current['step.progress']?.(p),
      onResync: () => ref.current.onResync?.(),
      onError: (m) => ref.current.onError?.(m),
    }
    return getRealtimeClient().subscribe(room, proxy)
  }, [room])
}

/** true while the socket is connected; drives the "Live" indicator. */
export function useRealtimeConnected(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const s = getRealtimeClient().socket
      s.on('connect', notify)
      s.on('disconnect', notify)
      return () => {
        s.off('connect', notify)
        s.off('disconnect', notify)
      }
    },
    () => getRealtimeClient().connected,
    () => false,
  )
}
