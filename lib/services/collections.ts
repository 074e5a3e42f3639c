// The collections API (app/api/collections/**, docs/api.md) over the vector host: request bodies and queries, the
// scope a request searches in, and the host's errors as HTTP answers. Every call names the caller's workspace, so
// another workspace's collection is a 404 like a missing one.
import { z } from 'zod'
import type { AuthContext } from '../auth/context'
import { NodeError } from '../engine/types'
import { env } from '../env'
import { AppError, NotFoundError } from '../errors'
import type { FileService } from '../files/service'
import { parseJson } from '../http/route'
import type { CollectionInfo, IngestResult, VectorHost, VectorScope } from '../vector/types'
import { isMultipart, readUploadedDocuments } from './collection-uploads'

const metaValue = z.union([z.string(), z.number(), z.boolean()])
const bound = z.union([z.number(), z.string()])
const condition = z.union([
  metaValue,
  z.strictObject({ eq: metaValue.optional(), ne: metaValue.optional(), in: z.array(metaValue).max(1000).optional(), gt: bound.optional(), gte: bound.optional(), lt: bound.optional(), lte: bound.optional() }),
])

/** A metadata filter (lib/vector/types.ts SearchFilter); the host checks the field names against the collection. */
export const searchFilter = z.record(z.string().min(1).max(200), condition)

/** Shapes only: the host checks the ranges (name characters, chunk sizes, dimension) and names the field. */
export const createCollectionBody = z.object({
  name: z.string().trim().min(1, 'name is required'),
  description: z.string().optional(),
  embedding: z.string().trim().min(1, 'pick an embedding deployment or route'),
  dimension: z.number().int().optional(),
  chunkSize: z.number().int().optional(),
  chunkOverlap: z.number().int().optional(),
})

export const ingestBody = z.object({
  documents: z
    .array(
      z.object({
        key: z.string().trim().min(1, 'key is required').max(1000),
        text: z.string().min(1, 'text is required'),
        mimeType: z.enum(['text/plain', 'text/markdown', 'text/html']).optional(),
        title: z.string().max(1000).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1, 'send at least one document')
    .max(1000),
})

export const deleteDocumentsBody = z
  .object({
    keys: z.array(z.string().min(1).max(1000)).min(1).max(10_000).optional(),
    filter: searchFilter.optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => [b.keys, b.filter, b.all].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of keys, filter or all: true', path: ['keys'] })

export const listDocumentsQuery = z.object({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  search: z.string().trim().max(200).optional(),
})

export const searchBody = z.object({
  query: z.string().trim().min(1, 'query is required'),
  mode: z.enum(['vector', 'keyword', 'hybrid']).default('hybrid'),
  topK: z.number().int().min(1).max(100).default(5),
  filter: searchFilter.optional(),
  minScore: z.number().finite().optional(),
  rerank: z.object({ target: z.string().trim().min(1, 'pick a chat model to re-rank with').max(200), candidates: z.number().int().optional() }).optional(),
})

/** What the host is told about the caller: the workspace, the API key for the AI ledger, the request's end. */
export function apiScope(auth: AuthContext, req: Request): VectorScope {
  return { tenantId: auth.tenantId, source: 'api', apiKeyId: auth.apiKeyId, signal: req.signal }
}

/**
 * The host's errors as API errors. Its own (VectorError, the router's AiError) already are AppErrors with a status;
 * a NodeError (the file store, read while an upload is ingested) names its field as a 400, says "try again" as a 502
 * when retryable, and otherwise is input the store cannot use (422), never a bare 500.
 */
export function toApiError(err: unknown): unknown {
  if (!(err instanceof NodeError)) return err
  if (err.code === 'FILE_TOO_LARGE') return new AppError(413, 'PAYLOAD_TOO_LARGE', err.message, { fields: err.field ? { [err.field]: err.message } : undefined })
  if (err.field) return new AppError(400, err.code, err.message, { fields: { [err.field]: err.message } })
  return new AppError(err.retryable ? 502 : 422, err.code, err.message, { details: err.details })
}

/** Runs a host call, answering its errors in the API's format. */
export async function vectorCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw toApiError(err)
  }
}

/** The workspace's collection, or a 404 (another workspace's collection looks the same as none). */
export async function requireCollection(vectors: VectorHost, scope: VectorScope, name: string): Promise<CollectionInfo> {
  const info = await vectorCall(() => vectors.getCollection(scope, name))
  if (!info) throw new NotFoundError(`Collection "${name}"`)
  return info
}

/**
 * Adds documents from a request: JSON text, or uploaded files (deleted from the file store once the ingest is over,
 * whatever its outcome). The collection must exist (a 404 otherwise): the API creates collections only through
 * POST /api/collections.
 */
export async function ingestDocuments(deps: { vectors: VectorHost; files: FileService }, scope: VectorScope, name: string, req: Request): Promise<IngestResult[]> {
  if (!isMultipart(req)) {
    const body = await parseJson(req, ingestBody, { size: 'large' })
    return vectorCall(() => deps.vectors.ingest(scope, name, body.documents))
  }
  // Before a byte of the files is stored.
  await requireCollection(deps.vectors, scope, name)
  const { webhook, vectors } = env()
  const upload = await vectorCall(() =>
    readUploadedDocuments(req, { files: deps.files, tenantId: scope.tenantId, limits: { requestBytes: webhook.uploadLimitBytes, fieldBytes: webhook.bodyLimitBytes, fileBytes: vectors.maxDocumentBytes } }),
  )
  try {
    return await vectorCall(() => deps.vectors.ingest(scope, name, upload.documents))
  } finally {
    await upload.discard()
  }
}
