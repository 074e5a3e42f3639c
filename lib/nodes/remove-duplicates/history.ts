// The storage Remove Duplicates uses for "history: workflow": what a host puts in services.extra.dedupeHistory.
// Browser-safe (types and the key only); the PostgreSQL implementation is lib/services/dedupe-history.ts.
import { NodeError, type ExecuteContext } from '../../engine/types'

export const DEDUPE_HISTORY_SERVICE_KEY = 'dedupeHistory'

export interface DedupeHistory {
  /**
   * Records `hashes` under the scope and returns those that are new: never recorded, or recorded by this same
   * execution (its retry or re-delivery must pass the same items again). Atomic per hash, so two runs at once
   * cannot both pass one key.
   */
  claim(req: { tenantId: string; scope: string; executionId: string; hashes: string[] }): Promise<Set<string>>
  /** Forgets all but the newest `keep` hashes of the scope. */
  trim(req: { tenantId: string; scope: string; keep: number }): Promise<void>
}

export function historyFromContext(ctx: Pick<ExecuteContext<unknown>, 'services'>): DedupeHistory {
  const h = ctx.services.extra?.[DEDUPE_HISTORY_SERVICE_KEY] as DedupeHistory | undefined
  if (!h || typeof h.claim !== 'function') {
    throw new NodeError('Remembering items across runs is not available in this host (services.extra.dedupeHistory)', { code: 'DEDUPE_HISTORY_UNAVAILABLE', field: 'history' })
  }
  return h
}
