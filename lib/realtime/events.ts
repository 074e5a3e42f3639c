// The typed Socket.IO contract shared by the realtime server, the worker emitter and the browser. Browser-safe.
import type { ExecutionStatus, SerializedError, StepLogLine } from '../engine/types'

export type StepEventStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'retrying' | 'canceled'

export interface ExecutionUpdatedEvent {
  executionId: string
  workflowId: string
  status: ExecutionStatus
  mode: string
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  error: SerializedError | null
}

export interface StepUpdatedEvent {
  executionId: string
  workflowId: string
  nodeId: string
  nodeName: string
  attempt: number
  maxAttempts: number
  /** In a loop's body: the iteration this attempt belongs to; on a loop node: the iterations it ran. */
  iteration?: number | null
  status: StepEventStatus
  startedAt: string | null
  finishedAt: string | null
  durationMs: number | null
  inputCount: number
  outputCounts: Record<string, number>
  error: SerializedError | null
  /** A settled attempt's log lines, when it logged any (the step record keeps them too). */
  logs?: StepLogLine[]
}

export interface StepProgressEvent {
  executionId: string
  nodeId: string
  event: string
  data: unknown
}

export interface ServerToClientEvents {
  'execution.updated': (payload: ExecutionUpdatedEvent) => void
  'step.updated': (payload: StepUpdatedEvent) => void
  'step.progress': (payload: StepProgressEvent) => void
}

export interface SubscribeAck {
  ok: boolean
  error?: string
}

export interface ClientToServerEvents {
  subscribe: (req: { room: string }, ack?: (res: SubscribeAck) => void) => void
  unsubscribe: (req: { room: string }, ack?: (res: SubscribeAck) => void) => void
}

/** Rooms a client may ask for: its whole tenant, one workflow, one execution. */
export type RoomRequest = { kind: 'tenant' } | { kind: 'workflow'; id: string } | { kind: 'execution'; id: string }

export function parseRoom(room: unknown): RoomRequest | null {
  if (room === 'tenant') return { kind: 'tenant' }
  if (typeof room !== 'string') return null
  const m = /^(workflow|execution):([A-Za-z0-9_-]{1,100})$/.exec(room)
  if (!m) return null
  return { kind: m[1] as 'workflow' | 'execution', id: m[2] }
}

/** Server-side room name: always prefixed with the tenant, so a room can never be shared across tenants. */
export function tenantRoom(tenantId: string, room: 'tenant' | `workflow:${string}` | `execution:${string}`): string {
  return `t:${tenantId}:${room}`
}
