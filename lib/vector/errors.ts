// Typed retrieval errors. They are AppErrors (the collections API answers with them) naming the field at fault
// (`query`, `filter.year`, `documents[2].file`, `metadata.lang`); nodes turn them into NodeErrors with
// toNodeError(). Router errors (AiError: budgets, unknown targets, a provider's wrong dimension) pass through
// with their own codes.
import { AppError } from '../errors'
import { NodeError } from '../engine/types'
import { AiError, toNodeError as aiToNodeError } from '../ai/errors'

export type VectorErrorCode =
  | 'VECTOR_COLLECTION_NOT_FOUND'
  | 'VECTOR_COLLECTION_EXISTS'
  | 'VECTOR_DOCUMENT_NOT_FOUND'
  | 'VECTOR_INVALID'
  | 'VECTOR_DOCUMENT_TOO_LARGE'
  | 'VECTOR_DOCUMENT_EMPTY'
  | 'VECTOR_UNSUPPORTED_TYPE'
  | 'PDF_NO_TEXT'
  | 'PDF_ENCRYPTED'
  | 'PDF_INVALID'
  | 'VECTOR_FIELD_TYPE'
  | 'VECTOR_TOO_MANY_FIELDS'
  | 'VECTOR_FILTER_INVALID'
  | 'VECTOR_QUERY_TOO_LONG'
  | 'VECTOR_EMBEDDING_NOT_FOUND'
  | 'VECTOR_EMBEDDING_DIMENSION'
  | 'VECTOR_EMBEDDING_INVALID'
  | 'VECTOR_RERANK_INVALID'
  | 'VECTOR_STORE_UNAVAILABLE'

const STATUS: Record<VectorErrorCode, number> = {
  VECTOR_COLLECTION_NOT_FOUND: 404,
  VECTOR_COLLECTION_EXISTS: 409,
  VECTOR_DOCUMENT_NOT_FOUND: 404,
  VECTOR_INVALID: 400,
  VECTOR_DOCUMENT_TOO_LARGE: 413,
  VECTOR_DOCUMENT_EMPTY: 422,
  VECTOR_UNSUPPORTED_TYPE: 415,
  PDF_NO_TEXT: 422,
  PDF_ENCRYPTED: 422,
  PDF_INVALID: 422,
  VECTOR_FIELD_TYPE: 400,
  VECTOR_TOO_MANY_FIELDS: 400,
  VECTOR_FILTER_INVALID: 400,
  VECTOR_QUERY_TOO_LONG: 400,
  VECTOR_EMBEDDING_NOT_FOUND: 400,
  VECTOR_EMBEDDING_DIMENSION: 502,
  VECTOR_EMBEDDING_INVALID: 502,
  VECTOR_RERANK_INVALID: 502,
  VECTOR_STORE_UNAVAILABLE: 503,
}

/** Worth retrying as is: the store was unreachable. A provider's wrong answer is not (it would answer the same). */
const RETRYABLE = new Set<VectorErrorCode>(['VECTOR_STORE_UNAVAILABLE'])

export class VectorError extends AppError {
  declare readonly code: VectorErrorCode
  /** The request field at fault (`query`, `filter.year`, `documents[0].file`), when there is one. */
  readonly field?: string
  constructor(code: VectorErrorCode, message: string, opts: { field?: string; details?: unknown; cause?: unknown } = {}) {
    super(STATUS[code], code, message, { fields: opts.field ? { [opts.field]: message } : undefined, details: opts.details })
    this.name = 'VectorError'
    this.field = opts.field
    if (opts.cause !== undefined) this.cause = opts.cause
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.code)
  }
}

/** For nodes: retrieval and router errors as NodeErrors (code, field, retryable kept); anything else unchanged. */
export function toNodeError(err: unknown): unknown {
  if (err instanceof VectorError) return new NodeError(err.message, { code: err.code, field: err.field, retryable: err.retryable, details: err.details, cause: err })
  if (err instanceof AiError) return aiToNodeError(err)
  return err
}
