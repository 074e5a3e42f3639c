// Embedding inputs through the router (or the host's own `embed`): up to CALL_INPUTS per call, which the router
// splits into provider requests of `batch` inputs and runs a few at a time. Every answer is checked: one vector
// per input, finite numbers, the collection's dimension. A provider answering with another length is
// refused before anything is written (AI_EMBEDDING_DIMENSION from the router, or VECTOR_EMBEDDING_DIMENSION
// from this check when the host embeds by itself).
import { picoToUsd, usdToPico } from '../ai/pricing'
import type { CallMeta } from '../ai/types'
import type { EmbedFn } from './host'
import { VectorError } from './errors'
import type { VectorScope } from './types'

/** Inputs per router call (the router's own cap): one ledger row per call, its batches in parallel. */
const CALL_INPUTS = 2048

export interface Embedded {
  vectors: number[][]
  /** The vector length (the collection's, or the first vector's when the collection has none yet). */
  dimension: number
  tokens: number
  /** Each input's share of the cost (by `weights`), in picodollars; they add up to the calls' cost exactly. */
  costs: bigint[]
  deployment: string
}

export const callMeta = (scope: VectorScope): CallMeta => ({
  tenantId: scope.tenantId,
  workflowId: scope.workflowId,
  executionId: scope.executionId,
  stepId: scope.stepId,
  apiKeyId: scope.apiKeyId,
  source: scope.source,
  signal: scope.signal,
})

/** USD of picodollar amounts; "0" when nothing was spent. */
export function sumUsd(pico: bigint[]): string {
  const total = pico.reduce((a, b) => a + b, 0n)
  return total === 0n ? '0' : picoToUsd(total)
}

/** Splits `total` over inputs in proportion to `weights` (integer arithmetic: the parts add up to `total`). */
function share(total: bigint, weights: number[]): bigint[] {
  const sum = weights.reduce((a, b) => a + Math.max(1, b), 0)
  const parts = weights.map((w) => (total * BigInt(Math.max(1, w))) / BigInt(sum))
  const rest = total - parts.reduce((a, b) => a + b, 0n)
  if (parts.length) parts[parts.length - 1] += rest
  return parts
}

function checkVectors(vectors: unknown, expected: number, dimension: number, target: string): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== expected) throw new VectorError('VECTOR_EMBEDDING_INVALID', `embedding: "${target}" returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${expected} inputs`, { field: 'embedding' })
  for (const v of vectors) {
    if (!Array.isArray(v) || v.length !== dimension) {
      throw new VectorError('VECTOR_EMBEDDING_DIMENSION', `embedding: "${target}" returned vectors of ${Array.isArray(v) ? v.length : 0} numbers; this collection holds ${dimension}`, { field: 'embedding', details: { expected: dimension, got: Array.isArray(v) ? v.length : 0 } })
    }
    if (!v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new VectorError('VECTOR_EMBEDDING_INVALID', `embedding: "${target}" returned a vector with non-numbers`, { field: 'embedding' })
  }
  return vectors as number[][]
}

export async function embedAll(embed: EmbedFn, scope: VectorScope, target: string, dimension: number, inputs: string[], weights: number[], batch: number): Promise<Embedded> {
  const out: Embedded = { vectors: [], dimension, tokens: 0, costs: [], deployment: '' }
  for (let i = 0; i < inputs.length; i += CALL_INPUTS) {
    scope.signal?.throwIfAborted()
    const slice = inputs.slice(i, i + CALL_INPUTS)
    const res = await embed({ target, input: slice, expectDimensions: out.dimension || undefined, maxBatch: batch }, callMeta(scope))
    out.dimension ||= Array.isArray(res.embeddings?.[0]) ? res.embeddings[0].length : 0
    out.vectors.push(...checkVectors(res.embeddings, slice.length, out.dimension, target))
    out.tokens += res.usage?.inputTokens ?? 0
    out.costs.push(...share(usdToPico(res.costUsd ?? '0'), weights.slice(i, i + CALL_INPUTS)))
    out.deployment = res.deployment
  }
  return out
}
