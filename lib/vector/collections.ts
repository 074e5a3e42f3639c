// Collections as PostgreSQL rows, always looked up by workspace (tenantId) and name: a collection of another
// workspace is never found, whatever its name. Specs are checked here (name, chunking, dimension); the
// dimension comes from the spec, else the embedding deployment's configured one, else the first embedding (0
// until then).
import { randomBytes } from 'node:crypto'
import type { AiRouter } from '../ai/router'
import type { Prisma, PrismaClient, VectorCollection } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { VectorError } from './errors'
import type { Fields } from './filter'
import type { CollectionInfo, CollectionSpec, VectorScope } from './types'

export type CollectionRow = VectorCollection

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,99}$/u
export const DEFAULT_CHUNK_SIZE = 400
export const DEFAULT_CHUNK_OVERLAP = 60
const MAX_DIMENSION = 8192

export function toInfo(row: CollectionRow): CollectionInfo {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    embedding: row.embedding,
    dimension: row.dimension,
    chunkSize: row.chunkSize,
    chunkOverlap: row.chunkOverlap,
    fields: fieldsOfRow(row),
    documentCount: row.documentCount,
    chunkCount: row.chunkCount,
    indexed: row.indexedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export const fieldsOfRow = (row: CollectionRow): Fields => ({ ...((row.fields ?? {}) as Fields) })

export function checkName(name: unknown, field = 'collection'): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new VectorError('VECTOR_INVALID', `${field}: a collection name is 1–100 letters, digits, spaces or _ . : - (starting with a letter or digit)`, { field })
  }
  return name
}

const int = (value: unknown, field: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new VectorError('VECTOR_INVALID', `${field} must be a whole number from ${min} to ${max}`, { field })
  return value
}

export interface CheckedSpec {
  name: string
  description: string
  embedding: string
  dimension?: number
  chunkSize: number
  chunkOverlap: number
}

export function checkSpec(spec: CollectionSpec): CheckedSpec {
  if (typeof spec !== 'object' || spec === null) throw new VectorError('VECTOR_INVALID', 'the collection spec must be an object', { field: 'collection' })
  const name = checkName(spec.name, 'name')
  if (typeof spec.embedding !== 'string' || !spec.embedding.trim()) throw new VectorError('VECTOR_INVALID', 'embedding: name the embedding deployment or route', { field: 'embedding' })
  const description = spec.description ?? ''
  if (typeof description !== 'string' || description.length > 2000) throw new VectorError('VECTOR_INVALID', 'description must be text of at most 2000 characters', { field: 'description' })
  const chunkSize = spec.chunkSize === undefined ? DEFAULT_CHUNK_SIZE : int(spec.chunkSize, 'chunkSize', 32, 8192)
  const chunkOverlap = spec.chunkOverlap === undefined ? Math.min(DEFAULT_CHUNK_OVERLAP, Math.floor(chunkSize / 4)) : int(spec.chunkOverlap, 'chunkOverlap', 0, Math.floor(chunkSize / 2))
  const dimension = spec.dimension === undefined ? undefined : int(spec.dimension, 'dimension', 1, MAX_DIMENSION)
  return { name, description, embedding: spec.embedding.trim(), dimension, chunkSize, chunkOverlap }
}

/** The vector length the target's deployment is configured for (null: the provider's default, learned later);
 * an unknown target or a chat deployment is refused, naming `embedding`. */
export async function deploymentDimensions(ai: AiRouter, tenantId: string, target: string): Promise<number | null> {
  const snap = await ai.catalog.snapshot(tenantId)
  const route = snap.routes.get(target)
  const names = route ? route.deployments : [target]
  const deployments = names.map((n) => snap.deployments.get(n)).filter((d) => d !== undefined)
  if (!deployments.length) throw new VectorError('VECTOR_EMBEDDING_NOT_FOUND', `embedding: no deployment or route named "${target}"`, { field: 'embedding' })
  const chat = deployments.find((d) => (d.kind ?? 'chat') !== 'embedding')
  if (chat) throw new VectorError('VECTOR_EMBEDDING_NOT_FOUND', `embedding: "${chat.name}" is a chat deployment; choose an embedding deployment`, { field: 'embedding' })
  return deployments.find((d) => d.dimensions)?.dimensions ?? null
}

export async function findCollection(prisma: PrismaClient, scope: VectorScope, name: string): Promise<CollectionRow | null> {
  return forTenant(prisma, scope.tenantId).vectorCollection.findUnique({ where: { tenantId_name: { tenantId: scope.tenantId, name } } })
}

export async function requireCollection(prisma: PrismaClient, scope: VectorScope, name: string): Promise<CollectionRow> {
  const row = await findCollection(prisma, scope, checkName(name))
  if (!row) throw new VectorError('VECTOR_COLLECTION_NOT_FOUND', `No collection named "${name}" in this workspace`, { field: 'collection' })
  return row
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002'

/** Inserts the row (with `id` when the caller chose it); `existOk` (an ingest that creates its collection) returns
 * the row another caller just made instead. */
export async function insertCollection(prisma: PrismaClient, scope: VectorScope, spec: CheckedSpec & { dimension: number; id?: string }, existOk = false): Promise<CollectionRow> {
  const db = forTenant(prisma, scope.tenantId)
  try {
    return await db.vectorCollection.create({ data: { tenantId: scope.tenantId, ...spec } })
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
    const existing = existOk ? await findCollection(prisma, scope, spec.name) : null
    if (existing) return existing
    throw new VectorError('VECTOR_COLLECTION_EXISTS', `A collection named "${spec.name}" already exists in this workspace`, { field: 'name' })
  }
}

/** Documents' rows changed in one transaction with the collection's counts recomputed from them, new fields merged
 * in, the dimension fixed once learned. The collection's row is locked first: a concurrent writer (another process)
 * waits, then counts with this one's rows committed, so neither loses the other's documents or fields. */
export async function changeDocuments(prisma: PrismaClient, row: CollectionRow, change: (tx: Prisma.TransactionClient) => Promise<unknown>, update: { fields?: Fields; dimension?: number } = {}): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "VectorCollection" WHERE id = ${row.id} AND "tenantId" = ${row.tenantId} FOR UPDATE`
    await change(tx)
    await tx.$executeRaw`
      UPDATE "VectorCollection" c SET
        "documentCount" = (SELECT count(*) FROM "VectorDocument" d WHERE d."collectionId" = c.id),
        "chunkCount" = (SELECT coalesce(sum(d."chunkCount"), 0) FROM "VectorDocument" d WHERE d."collectionId" = c.id),
        "fields" = c."fields" || ${JSON.stringify(update.fields ?? {})}::jsonb,
        "dimension" = CASE WHEN c."dimension" = 0 THEN ${update.dimension ?? 0} ELSE c."dimension" END,
        "updatedAt" = now()
      WHERE c.id = ${row.id} AND c."tenantId" = ${row.tenantId}`
  })
}

/** A collection as it will be once inserted: an ingest that creates its collection checks and prepares its
 * documents against it first, so bad documents leave no empty collection behind. */
export function provisionalCollection(scope: VectorScope, spec: CheckedSpec & { dimension: number }): CollectionRow {
  const now = new Date()
  return {
    id: `c${randomBytes(12).toString('hex')}`,
    tenantId: scope.tenantId,
    ...spec,
    fields: {},
    documentCount: 0,
    chunkCount: 0,
    indexedAt: null,
    indexedChunks: 0,
    createdAt: now,
    updatedAt: now,
  }
}

export async function reloadCollection(prisma: PrismaClient, row: CollectionRow): Promise<CollectionRow> {
  return forTenant(prisma, row.tenantId).vectorCollection.findUniqueOrThrow({ where: { id: row.id } })
}
