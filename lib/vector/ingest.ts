// Ingest: prepare every document (prepare.ts), embed what changed (chunks whose text was embedded before keep
// their vectors), and only when every embedding is back write, under the collection's lock: new filterable
// columns, then all changed documents' chunks replaced in one LanceDB commit, then their rows and the
// collection's counts in one PostgreSQL transaction, then index upkeep. An error before the write leaves the
// old chunks and rows as they were.
import type * as lancedb from '@lancedb/lancedb'
import type { Prisma } from '../db/generated/client'
import { embeddingInput } from './chunk'
import { checkName, checkSpec, deploymentDimensions, findCollection, insertCollection, provisionalCollection, changeDocuments, reloadCollection, requireCollection, type CollectionRow } from './collections'
import type { VectorContext } from './context'
import { embedAll, sumUsd } from './embed'
import { columnOf, type Fields } from './filter'
import { maintainIndexes } from './ann'
import { prepareDocuments, type PreparedDocument } from './prepare'
import { quote, type ChunkRow } from './store'
import type { CollectionSpec, IngestOptions, IngestResult, VectorScope } from './types'
import { log } from '../log'

const logger = log.child({ component: 'vectors' })

/** The collection's dimension as the spec or the deployment says (0: learned from the first embedding). */
export async function initialDimension(ctx: VectorContext, scope: VectorScope, spec: { embedding: string; dimension?: number }): Promise<number> {
  const configured = ctx.ownEmbed ? null : await deploymentDimensions(ctx.ai, scope.tenantId, spec.embedding)
  return spec.dimension ?? configured ?? 0
}

export async function createCollectionRow(ctx: VectorContext, scope: VectorScope, spec: CollectionSpec): Promise<CollectionRow> {
  const checked = checkSpec(spec)
  return insertCollection(ctx.prisma, scope, { ...checked, dimension: await initialDimension(ctx, scope, checked) })
}

/** The collection to ingest into; with `create` and none yet, one not inserted until its documents are prepared. */
async function openCollection(ctx: VectorContext, scope: VectorScope, name: string, create: IngestOptions['create']): Promise<{ row: CollectionRow; isNew: boolean }> {
  if (!create) return { row: await requireCollection(ctx.prisma, scope, name), isNew: false }
  const existing = await findCollection(ctx.prisma, scope, checkName(name))
  if (existing) return { row: existing, isNew: false }
  const checked = checkSpec({ ...create, name })
  return { row: provisionalCollection(scope, { ...checked, dimension: await initialDimension(ctx, scope, checked) }), isNew: true }
}

/** Vectors already stored for these documents, by what was embedded: re-ingesting an edited document embeds only
 * the chunks that changed (the collection's embedding target never changes, so a vector stays valid for its input). */
async function storedVectors(table: lancedb.Table | null, documentIds: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>()
  if (!table || !documentIds.length) return out
  const rows = await table.query().where(`document_id IN (${documentIds.map(quote).join(', ')})`).select(['section', 'text', 'vector']).toArray()
  for (const r of rows as { section: string; text: string; vector: Iterable<number> }[]) out.set(embeddingInput(r), Array.from(r.vector))
  return out
}

interface Vectors {
  of: Map<string, number[]>
  dimension: number
  /** Each document's share of the embedding cost, in picodollars. */
  cost: Map<string, bigint>
}

async function embedChanged(ctx: VectorContext, scope: VectorScope, collection: CollectionRow, changed: PreparedDocument[], table: lancedb.Table | null): Promise<Vectors> {
  const stored = await storedVectors(table, changed.filter((d) => d.previous).map((d) => d.documentId))
  const inputs: string[] = []
  const weights: number[] = []
  const owners: string[] = []
  const queued = new Set<string>()
  for (const doc of changed) {
    for (const chunk of doc.chunks!) {
      const input = embeddingInput(chunk)
      if (stored.has(input) || queued.has(input)) continue
      queued.add(input)
      inputs.push(input)
      weights.push(chunk.tokens)
      owners.push(doc.documentId)
    }
  }
  const known = collection.dimension || (stored.size ? stored.values().next().value!.length : 0)
  const cost = new Map<string, bigint>()
  if (!inputs.length) return { of: stored, dimension: known, cost }
  const embedded = await embedAll(ctx.embed, scope, collection.embedding, known, inputs, weights, ctx.settings.embedBatch)
  inputs.forEach((input, i) => {
    stored.set(input, embedded.vectors[i])
    cost.set(owners[i], (cost.get(owners[i]) ?? 0n) + embedded.costs[i])
  })
  return { of: stored, dimension: embedded.dimension, cost }
}

function rowsOf(doc: PreparedDocument, vectors: Vectors): ChunkRow[] {
  const metadata = JSON.stringify(doc.metadata)
  const columns = Object.fromEntries(Object.entries(doc.filterable).map(([name, value]) => [columnOf(name), value]))
  return doc.chunks!.map((chunk, i) => ({
    chunk_id: `${doc.documentId}:${i}`,
    document_id: doc.documentId,
    document_key: doc.key,
    chunk_index: i,
    title: doc.title,
    section: chunk.section,
    text: chunk.text,
    tokens: chunk.tokens,
    vector: vectors.of.get(embeddingInput(chunk))!,
    metadata,
    ...columns,
  }))
}

const fieldsUsed = (docs: PreparedDocument[], fields: Fields): Fields =>
  Object.fromEntries([...new Set(docs.flatMap((d) => Object.keys(d.filterable)))].map((name) => [name, fields[name]]))

/** The documents' rows in one statement (a row per document is one round trip each otherwise: 500 took 0.5 s). */
async function upsertDocuments(tx: Prisma.TransactionClient, collection: CollectionRow, docs: PreparedDocument[]): Promise<void> {
  const column = <T>(f: (d: PreparedDocument) => T) => docs.map(f)
  await tx.$executeRaw`
    INSERT INTO "VectorDocument" ("id", "tenantId", "collectionId", "key", "title", "mimeType", "contentHash", "chunkCount", "tokenCount", "metadata", "createdAt", "updatedAt")
    SELECT d.id, ${collection.tenantId}, ${collection.id}, d.key, d.title, d.mime, d.hash, d.chunks, d.tokens, d.metadata, now(), now()
    FROM unnest(
      ${column((d) => d.documentId)}::text[], ${column((d) => d.key)}::text[], ${column((d) => d.title)}::text[], ${column((d) => d.mimeType)}::text[],
      ${column((d) => d.contentHash)}::text[], ${column((d) => d.chunks!.length)}::int[], ${column((d) => d.chunks!.reduce((n, c) => n + c.tokens, 0))}::int[],
      ${column((d) => JSON.stringify(d.metadata))}::jsonb[]
    ) AS d(id, key, title, mime, hash, chunks, tokens, metadata)
    ON CONFLICT ("collectionId", "key") DO UPDATE SET
      "title" = EXCLUDED."title", "mimeType" = EXCLUDED."mimeType", "contentHash" = EXCLUDED."contentHash", "chunkCount" = EXCLUDED."chunkCount",
      "tokenCount" = EXCLUDED."tokenCount", "metadata" = EXCLUDED."metadata", "updatedAt" = now()`
}

async function write(ctx: VectorContext, collection: CollectionRow, changed: PreparedDocument[], fields: Fields, vectors: Vectors): Promise<void> {
  await ctx.locks.run(collection.id, async () => {
    const table = (await ctx.store.table(collection.id, vectors.dimension))!
    const have = await ctx.store.ensureFields(table, fieldsUsed(changed, fields))
    await ctx.store.replaceDocuments(table, changed.map((d) => d.documentId), changed.flatMap((d) => rowsOf(d, vectors)))
    await changeDocuments(ctx.prisma, collection, (tx) => upsertDocuments(tx, collection, changed), { fields: have, dimension: vectors.dimension })
    await upkeep(ctx, table, collection)
  })
}

/** The documents are written: index upkeep failing must not report the ingest as failed. The next write tries
 * again; meanwhile searches scan what the index does not cover. */
async function upkeep(ctx: VectorContext, table: lancedb.Table, collection: CollectionRow): Promise<void> {
  try {
    await maintainIndexes(ctx.prisma, table, await reloadCollection(ctx.prisma, collection), ctx.settings.indexThreshold)
  } catch (err) {
    logger.error({ collectionId: collection.id, err }, 'index upkeep of a collection failed; the next write retries it')
  }
}

function resultOf(doc: PreparedDocument, vectors: Vectors | null): IngestResult {
  if (!doc.chunks) return { key: doc.key, documentId: doc.documentId, status: 'unchanged', chunks: doc.previous!.chunkCount, tokens: doc.previous!.tokenCount, costUsd: '0' }
  return {
    key: doc.key,
    documentId: doc.documentId,
    status: doc.previous ? 'replaced' : 'added',
    chunks: doc.chunks.length,
    tokens: doc.chunks.reduce((n, c) => n + c.tokens, 0),
    costUsd: sumUsd([vectors?.cost.get(doc.documentId) ?? 0n]),
  }
}

export async function ingest(ctx: VectorContext, scope: VectorScope, name: string, docs: unknown, opts: IngestOptions = {}): Promise<IngestResult[]> {
  const { row: collection, isNew } = await openCollection(ctx, scope, name, opts.create)
  const { documents, fields } = await prepareDocuments(ctx.prisma, collection, docs, ctx.settings.maxDocumentBytes)
  if (isNew) {
    const created = await insertCollection(ctx.prisma, scope, collection, true)
    // Another caller created it meanwhile: start over with theirs (nothing embedded or written yet).
    if (created.id !== collection.id) return ingest(ctx, scope, name, docs, opts)
  }
  const changed = documents.filter((d) => d.chunks)
  let vectors: Vectors | null = null
  if (changed.length) {
    vectors = await embedChanged(ctx, scope, collection, changed, await ctx.store.table(collection.id))
    scope.signal?.throwIfAborted()
    await write(ctx, collection, changed, fields, vectors)
  }
  return documents.map((d) => resultOf(d, vectors))
}
