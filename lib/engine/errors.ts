// Turning anything thrown into the SerializedError that events and step rows carry.
import { NodeError, type SerializedError } from './types'

export function serializeError(err: unknown, nodeId?: string): SerializedError {
  if (err instanceof NodeError) {
    return {
      name: err.name,
      message: err.message,
      code: err.code,
      retryable: err.retryable,
      ...(err.field !== undefined && { field: err.field }),
      ...(err.details !== undefined && { details: err.details }),
      ...(nodeId !== undefined && { nodeId }),
    }
  }
  if (err instanceof Error) {
    const raw = (err as unknown as { code?: unknown }).code
    const code = typeof raw === 'string' ? raw : undefined
    return { name: err.name, message: err.message, retryable: true, ...(code && { code }), ...(nodeId !== undefined && { nodeId }) }
  }
  return { name: 'Error', message: String(err), retryable: true, ...(nodeId !== undefined && { nodeId }) }
}

/** Non-NodeErrors (a crashed fetch, a bug) are retried; NodeErrors say so themselves. */
export function isRetryable(err: unknown): boolean {
  return err instanceof NodeError ? err.retryable : true
}
