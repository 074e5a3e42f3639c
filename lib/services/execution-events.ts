// Row → realtime payload, shared by the worker and the API (cancel, enqueue).
import type { ExecutionStatus, SerializedError } from '../engine/types'
import type { ExecutionUpdatedEvent } from '../realtime/events'

interface ExecutionRow {
  id: string
  workflowId: string
  status: string
  mode: string
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  error: unknown
}

export function executionEvent(row: ExecutionRow): ExecutionUpdatedEvent {
  return {
    executionId: row.id,
    workflowId: row.workflowId,
    status: row.status as ExecutionStatus,
    mode: row.mode,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: (row.error as SerializedError | null) ?? null,
  }
}
