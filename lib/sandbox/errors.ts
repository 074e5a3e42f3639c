// Maps what isolated-vm throws onto typed, non-retryable NodeErrors: user code that failed once fails again.
import { NodeError } from '../engine/types'

export const SANDBOX_ERROR = {
  syntax: 'SANDBOX_SYNTAX_ERROR',
  runtime: 'SANDBOX_RUNTIME_ERROR',
  timeout: 'SANDBOX_TIMEOUT',
  memory: 'SANDBOX_MEMORY_LIMIT',
  output: 'SANDBOX_INVALID_OUTPUT',
  busy: 'SANDBOX_BUSY',
} as const

export function timeoutError(ms: number): NodeError {
  return new NodeError(`Code ran longer than the limit of ${ms} ms`, { code: SANDBOX_ERROR.timeout, retryable: false })
}

export function memoryError(mb: number): NodeError {
  return new NodeError(`Code used more than the memory limit of ${mb} MB`, { code: SANDBOX_ERROR.memory, retryable: false })
}

/** `disposed` tells whether the isolate died (memory limit or a forced stop) and must be replaced. */
export function toSandboxError(err: unknown, limits: { timeoutMs: number; memoryMb: number }, disposed: boolean): NodeError {
  if (err instanceof NodeError) return err
  const e = err instanceof Error ? err : new Error(String(err))
  const message = e.message ?? ''
  if (/memory limit/i.test(message) || (disposed && /disposed/i.test(message))) return memoryError(limits.memoryMb)
  if (/execution timed out/i.test(message)) return timeoutError(limits.timeoutMs)
  if (e.name === 'SyntaxError') {
    return new NodeError(`Syntax error: ${message}`, { code: SANDBOX_ERROR.syntax, retryable: false })
  }
  const name = e.name && e.name !== 'Error' ? `${e.name}: ` : ''
  return new NodeError(`${name}${message}`, { code: SANDBOX_ERROR.runtime, retryable: false })
}
