// Reading and deleting documents: pages of a collection's documents (by key, optionally searched by key or
// title), a document's chunks, and deletes by keys, by metadata filter, of everything, or of the collection
// itself (its table and its rows). Deletes take the collection's write lock like ingests do.
import type { Prisma } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { changeDocuments, fieldsOfRow, requireCollection, type CollectionRow } from './collections'
import type { VectorContext } from './context'
import { VectorError } from './errors'
import { compileFilter } from './filter'
import { quote } from './store'
import type { ChunkInfo, DeleteRequest, DocumentInfo, VectorScope } from './types'

const MAX_PAGE = 200
const MAX_KEYS = 1000

export async function listDocuments(ctx: VectorContext, scope: VectorScope, name: string, opts: { cursor?: string; limit?: number; search?: string } = {}): Promise<{ documents: DocumentInfo[]; nextCursor: string | null }> {
  const collection = await requireCollection(ctx.prisma, scope, name)
  const limit = opts.limit ?? 50
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new VectorError('VECTOR_INVALID', `limit: a whole number from 1 to ${MAX_PAGE}`, { field: 'limit' })
  const where: Prisma.VectorDocumentWhereInput = { collectionId: collection.id }
  if (opts.search?.trim()) where.OR = [{ key: { contains: opts.search.trim(), mode: 'insensitive' } }, { title: { contains: opts.search.trim(), mode: 'insensitive' } }]
  // The cursor is the last key of the previous page: keys are unique per collection and pages are by key.
  if (opts.cursor) where.key = { gt: opts.cursor }
  const rows = await forTenant(ctx.prisma, scope.tenantId).vectorDocument.findMany({ where, orderBy: { key: 'asc' }, take: limit + 1 })
  const page = rows.slice(0, limit)
  return {
    documents: page.map((d) => ({
      id: d.id, key: d.key, title: d.title, mimeType: d.mimeType, chunkCount: d.chunkCount, tokenCount: d.tokenCount,
      metadata: d.metadata as Record<string, unknown>, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? page.at(-1)!.key : null,
  }
}

export async function listChunks(ctx: VectorContext, scope: VectorScope, name: string, documentKey: string): Promise<ChunkInfo[]> {
  const collection = await requireCollection(ctx.prisma, scope, name)
  const doc = await forTenant(ctx.prisma, scope.tenantId).vectorDocument.findUnique({ where: { collectionId_key: { collectionId: collection.id, key: String(documentKey) } } })
  if (!doc) throw new VectorError('VECTOR_DOCUMENT_NOT_FOUND', `No document "${documentKey}" in collection "${name}"`, { field: 'documentKey' })
  const table = await ctx.store.table(collection.id)
  if (!table) return []
  const rows = (await table.query().where(`document_id = ${quote(doc.id)}`).select(['chunk_id', 'chunk_index', 'text', 'tokens']).toArray()) as { chunk_id: string; chunk_index: number; text: string; tokens: number }[]
  return rows.map((r) => ({ chunkId: r.chunk_id, chunkIndex: r.chunk_index, text: r.text, tokens: r.tokens })).sort((a, b) => a.chunkIndex - b.chunkIndex)
}

function checkDelete(req: DeleteRequest): 'keys' | 'filter' | 'all' | 'dropCollection' {
  const asked = (['keys', 'filter', 'all', 'dropCollection'] as const).filter((k) => req?.[k] !== undefined && req[k] !== false)
  if (asked.length !== 1) throw new VectorError('VECTOR_INVALID', 'delete: give exactly one of keys, filter, all or dropCollection', { field: asked[1] ?? 'keys' })
  if (asked[0] === 'keys') {
    const keys = req.keys
    if (!Array.isArray(keys) || !keys.length || keys.length > MAX_KEYS || !keys.every((k) => typeof k === 'string')) throw new VectorError('VECTOR_INVALID', `keys: a list of 1–${MAX_KEYS} document keys`, { field: 'keys' })
  }
  return asked[0]
}

/** The documents a delete request names (whole documents: every chunk of a document carries its metadata). */
async function targets(ctx: VectorContext, collection: CollectionRow, req: DeleteRequest, kind: 'keys' | 'filter' | 'all'): Promise<{ id: string; chunkCount: number }[]> {
  const db = forTenant(ctx.prisma, collection.tenantId)
  const select = { id: true, chunkCount: true }
  if (kind === 'all') return db.vectorDocument.findMany({ where: { collectionId: collection.id }, select })
  if (kind === 'keys') return db.vectorDocument.findMany({ where: { collectionId: collection.id, key: { in: req.keys! } }, select })
  const where = compileFilter(req.filter, fieldsOfRow(collection))
  const table = await ctx.store.table(collection.id)
  if (!where || !table) return []
  const ids = [...new Set(((await table.query().where(where).select(['document_id']).toArray()) as { document_id: string }[]).map((r) => r.document_id))]
  return ids.length ? db.vectorDocument.findMany({ where: { collectionId: collection.id, id: { in: ids } }, select }) : []
}

export async function deleteDocuments(ctx: VectorContext, scope: VectorScope, name: string, req: DeleteRequest): Promise<{ documents: number; chunks: number }> {
  const kind = checkDelete(req)
  const collection = await requireCollection(ctx.prisma, scope, name)
  return ctx.locks.run(collection.id, async () => {
    if (kind === 'dropCollection') {
      const row = await forTenant(ctx.prisma, scope.tenantId).vectorCollection.findUniqueOrThrow({ where: { id: collection.id } })
      await ctx.store.drop(collection.id)
      await forTenant(ctx.prisma, scope.tenantId).vectorCollection.deleteMany({ where: { id: collection.id } })
      return { documents: row.documentCount, chunks: row.chunkCount }
    }
    const docs = await targets(ctx, collection, req, kind)
    if (!docs.length) return { documents: 0, chunks: 0 }
    const table = await ctx.store.table(collection.id)
    const ids = docs.map((d) => d.id)
    if (table) await table.delete(`document_id IN (${ids.map(quote).join(', ')})`)
    await changeDocuments(ctx.prisma, collection, (tx) => tx.vectorDocument.deleteMany({ where: { collectionId: collection.id, tenantId: scope.tenantId, id: { in: ids } } }))
    return { documents: docs.length, chunks: docs.reduce((n, d) => n + d.chunkCount, 0) }
  })
}
