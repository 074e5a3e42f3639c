// What the retrieval executors (and the Agent's retrieval tool) share on the server side: the scope a step asks the
// vector host in, the search request its params describe, and the store's and router's errors restated as
// NodeErrors that name the node's own parameter.
import { NodeError, type ExecuteContext } from '../../engine/types'
import { toNodeError } from '../../vector/errors'
import type { SearchMode, SearchRequest, SearchFilter, VectorScope } from '../../vector/types'

export function vectorScope(ctx: Pick<ExecuteContext, 'tenantId' | 'workflowId' | 'executionId' | 'node' | 'signal'>): VectorScope {
  return { tenantId: ctx.tenantId, workflowId: ctx.workflowId, executionId: ctx.executionId, stepId: ctx.node.id, source: 'workflow', signal: ctx.signal }
}

export interface RetrievalSettings {
  mode: SearchMode
  topK: number
  filter?: SearchFilter
  minScore?: number
  rerankModel: string
}

export function searchRequest(query: string, p: RetrievalSettings): SearchRequest {
  return {
    query,
    mode: p.mode,
    topK: p.topK,
    ...(p.filter && Object.keys(p.filter).length ? { filter: p.filter } : {}),
    ...(p.minScore !== undefined ? { minScore: p.minScore } : {}),
    ...(p.rerankModel ? { rerank: { target: p.rerankModel } } : {}),
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Host errors about a whole collection, whatever field they name. */
const COLLECTION_CODE = /COLLECTION_(NOT_FOUND|EXISTS)$/

/** The part of a host field path a node param stands for: `filter.year` → `filter`, `documents[2].file` → `file`. */
function fieldHead(path: string): string {
  const inDocument = /^documents\[\d+\]\.([A-Za-z]+)/.exec(path)
  return inDocument ? inDocument[1] : path.split(/[.[]/)[0]
}

export interface FieldMap {
  /** The host's field names (`query`, `filter`, `embedding`, `rerank`, `keys`…) → this node's params. */
  fields?: Record<string, string>
  /** The param an error that names no field is about. */
  fallback: string
}

/**
 * A store or router error (lib/vector/errors.ts toNodeError) as a NodeError naming this node's param:
 * `{ fields: { query: 'question' }, fallback: 'collection' }`. Codes, messages and retryability are kept, the
 * store's own field path goes in `details.hostField`; what is no NodeError by then (a bug, an abort) passes.
 */
export function retrievalError(err: unknown, map: FieldMap): unknown {
  const coded = toNodeError(err)
  if (!(coded instanceof NodeError)) return err
  const hostField = coded.field
  const head = hostField && fieldHead(hostField)
  const field = COLLECTION_CODE.test(coded.code) ? 'collection' : head ? (map.fields?.[head] ?? head) : map.fallback
  if (coded.field === field) return coded
  const details = hostField && hostField !== field ? { ...(isRecord(coded.details) ? coded.details : {}), hostField } : coded.details
  return new NodeError(coded.message, { code: coded.code, retryable: coded.retryable, field, details, cause: err })
}

/** Runs a host call, restating its errors for this node. */
export async function withFields<T>(map: FieldMap, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw retrievalError(err, map)
  }
}
