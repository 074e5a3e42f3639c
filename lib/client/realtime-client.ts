// Framework-free core of the browser's realtime layer: one Socket.IO connection, reference-counted room
// subscriptions that are re-sent after every reconnect, and handlers filtered to the room they asked for
// (a socket in `tenant` and `execution:x` receives both rooms' events; a handler only sees its own).
import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../realtime/events'

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>
export type RealtimeEvent = keyof ServerToClientEvents
export type EventPayload<E extends RealtimeEvent> = Parameters<ServerToClientEvents[E]>[0]

export type RealtimeHandlers = {
  [E in RealtimeEvent]?: (payload: EventPayload<E>) => void
} & {
  /**
   * Called each time the room is joined (first time and after every reconnect): refetch now, because
   * whatever happened before the join — even between your first fetch and the join — was not delivered.
   */
  onResync?: () => void
  /** Called when the server refuses the room (e.g. not your tenant's). */
  onError?: (message: string) => void
}

export type Room = 'tenant' | `workflow:${string}` | `execution:${string}`

interface Subscription {
  room: Room
  handlers: RealtimeHandlers
}

const EVENTS: RealtimeEvent[] = ['execution.updated', 'step.updated', 'step.progress']

/** Whether an event payload belongs to a room (tenant sees everything). */
export function payloadMatchesRoom(room: Room, payload: { executionId?: string; workflowId?: string }): boolean {
  if (room === 'tenant') return true
  const [kind, id] = room.split(':') as ['workflow' | 'execution', string]
  return kind === 'workflow' ? payload.workflowId === id : payload.executionId === id
}

export interface RealtimeClientOptions {
  /** Origin to connect to; undefined = same origin (the session cookie goes along). */
  url?: string
  /** API key for non-browser use (scripts, tests). */
  token?: string
  /** Extra socket.io-client options (tests shorten reconnection delays). */
  reconnectionDelay?: number
}

export class RealtimeClient {
  readonly socket: RealtimeSocket
  private subs = new Set<Subscription>()
  private joined = new Map<Room, number>()

  constructor(opts: RealtimeClientOptions = {}) {
    const options = {
      path: '/socket.io',
      withCredentials: true,
      transports: ['websocket', 'polling'],
      reconnectionDelay: opts.reconnectionDelay ?? 1000,
      reconnectionDelayMax: 10_000,
      auth: opts.token ? { token: opts.token } : undefined,
    }
    this.socket = (opts.url ? io(opts.url, options) : io(options)) as RealtimeSocket
    this.socket.on('connect', () => this.onConnect())
    for (const event of EVENTS) {
      this.socket.on(event, ((payload: EventPayload<typeof event>) => this.dispatch(event, payload)) as never)
    }
  }

  get connected(): boolean {
    return this.socket.connected
  }

  /** Joins `room` (once per room, however many subscribers) and routes its events to `handlers`. Returns the undo. */
  subscribe(room: Room, handlers: RealtimeHandlers): () => void {
    const sub: Subscription = { room, handlers }
    this.subs.add(sub)
    const count = this.joined.get(room) ?? 0
    this.joined.set(room, count + 1)
    if (count === 0 && this.socket.connected) this.join(room)
    else if (count > 0 && this.socket.connected) queueMicrotask(() => this.subs.has(sub) && sub.handlers.onResync?.())
    return () => {
      if (!this.subs.delete(sub)) return
      const left = (this.joined.get(room) ?? 1) - 1
      if (left > 0) return void this.joined.set(room, left)
      this.joined.delete(room)
      if (this.socket.connected) this.socket.emit('unsubscribe', { room })
    }
  }

  close(): void {
    this.subs.clear()
    this.joined.clear()
    this.socket.close()
  }

  private onConnect(): void {
    for (const room of this.joined.keys()) this.join(room)
  }

  private join(room: Room): void {
    this.socket.emit('subscribe', { room }, (ack: SubscribeAck) => {
      for (const sub of this.subs) {
        if (sub.room !== room) continue
        if (!ack?.ok) sub.handlers.onError?.(ack?.error ?? 'subscription refused')
        else sub.handlers.onResync?.()
      }
    })
  }

  private dispatch<E extends RealtimeEvent>(event: E, payload: EventPayload<E>): void {
    for (const sub of this.subs) {
      const handler = sub.handlers[event] as ((p: EventPayload<E>) => void) | undefined
      if (handler && payloadMatchesRoom(sub.room, payload as { executionId?: string; workflowId?: string })) handler(payload)
    }
  }
}
