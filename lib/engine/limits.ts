// Per-run caps. The engine receives them as options (hosts read them from lib/env); the errors name the cap and
// the setting that changes it, so whoever reads a failed run knows what stopped it and what to adjust.
import { NodeError, type RunLimits } from './types'

/** 5,000,000 items keeps the 1,000,000-item paging runs well inside; one hour is the longest Wait plus slack;
 * 10,000 iterations is 10,000 items one by one, ten times Loop Over Items' own default cap. */
export const DEFAULT_RUN_LIMITS: Required<Omit<RunLimits, 'startedAt'>> = { maxItemsPerStep: 5_000_000, maxRunMs: 3_600_000, maxLoopIterations: 10_000 }

export const ITEMS_LIMIT = 'RUN_LIMIT_ITEMS'
export const TIME_LIMIT = 'RUN_LIMIT_TIME'
export const LOOP_LIMIT = 'LOOP_LIMIT'

/** `in`: a step that reads all its input at once would have been handed more than the cap (refused before
 * loading it, so a fan-in cannot exhaust memory first); `out`: what a step wrote went over it. */
export function itemLimitError(nodeName: string, limit: number, direction: 'in' | 'out' = 'out'): NodeError {
  const what = direction === 'in' ? 'would receive' : 'produced'
  return new NodeError(
    `Step "${nodeName}" ${what} more than ${limit} items, the limit for one step (maxItemsPerStep; the host setting AUTERITY_MAX_ITEMS_PER_STEP). ` +
      'A fan-in or loop that multiplies items usually causes this.',
    { code: ITEMS_LIMIT, retryable: false, details: { limit, setting: 'AUTERITY_MAX_ITEMS_PER_STEP' } },
  )
}

export function timeLimitError(limitMs: number): NodeError {
  return new NodeError(`The run took longer than ${limitMs} ms, the limit for one run (maxRunMs; the host setting AUTERITY_MAX_RUN_MS)`, {
    code: TIME_LIMIT,
    retryable: false,
    details: { limitMs, setting: 'AUTERITY_MAX_RUN_MS' },
  })
}

/** A loop would need more iterations than its cap: the node's own `maxIterations`, or the host's when that is lower. */
export function loopLimitError(nodeName: string, needed: { items: number; batchSize: number; iterations: number }, cap: { limit: number; host: boolean }): NodeError {
  const setting = cap.host ? 'AUTERITY_MAX_LOOP_ITERATIONS' : 'maxIterations'
  const which = cap.host ? 'the host limit (maxLoopIterations; the host setting AUTERITY_MAX_LOOP_ITERATIONS)' : 'its maxIterations parameter'
  return new NodeError(
    `Loop "${nodeName}" would run ${needed.iterations} iterations (${needed.items} items in batches of ${needed.batchSize}), more than ${cap.limit}, ${which}. ` +
      'Raise batchSize or the limit.',
    { code: LOOP_LIMIT, retryable: false, details: { limit: cap.limit, iterations: needed.iterations, setting } },
  )
}

/** Caps stop the run: continueOnFail does not turn them into items, and retries would only hit them again. */
export function isRunLimit(err: unknown): err is NodeError {
  return err instanceof NodeError && (err.code === ITEMS_LIMIT || err.code === TIME_LIMIT || err.code === LOOP_LIMIT)
}
