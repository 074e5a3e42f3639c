// The storage Remove Duplicates uses for "history: workflow": the `dedupeHistory` host service (lib/nodes/host-services).
// Browser-safe (types only); the PostgreSQL implementation is lib/services/dedupe-history.ts.
import { NodeError } from '../../engine/types'

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

/** For hosts that must not remember items ("test this step": a test would mark real items as seen). */
export const unavailableDedupeHistory: DedupeHistory = {
  claim: () => Promise.reject(unavailable()),
  trim: () => Promise.reject(unavailable()),
}

function unavailable(): NodeError {
  return new NodeError('Remembering items across runs happens only when the workflow runs, not when one step is tested', {
    code: 'DEDUPE_HISTORY_UNAVAILABLE',
    field: 'history',
  })
}
