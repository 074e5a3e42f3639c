// The ANN index and upkeep of a collection's table. Below `indexThreshold` chunks a vector search is an exact
// scan (fast enough, and exact). Past it an IVF_HNSW_SQ index is built on the vectors (cosine): an HNSW graph
// per IVF partition over 8-bit scalar-quantised vectors. Searches probe every partition, explore `ef` ≥ 4 ×
// the rows asked for, and re-rank the candidates on the full vectors (refineFactor), so the order is by exact
// distance; measured on the fake embedder's vectors it returns the exact scan's ids in the exact order (IVF_PQ
// at default settings got 0 of 30 queries identical, recall 0.76–0.85). Rows written after the build are
// searched by scan until `optimize` folds them into the index; a collection that doubles is re-indexed.
import type * as lancedb from '@lancedb/lancedb'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import type { CollectionRow } from './collections'
import { loadLance } from './store'

/** One HNSW graph per ~250k vectors: fewer, larger graphs search better; partitions bound the build's memory. */
export const partitionsFor = (rows: number) => Math.max(1, Math.ceil(rows / 250_000))

/** The ANN search settings for `limit` rows on an index built over `indexedChunks`. */
export function tuneVectorQuery(q: lancedb.VectorQuery, limit: number, indexedChunks: number): lancedb.VectorQuery {
  return q.nprobes(partitionsFor(indexedChunks)).ef(Math.max(200, limit * 4)).refineFactor(2)
}

async function buildVectorIndex(table: lancedb.Table, rows: number): Promise<void> {
  await table.createIndex('vector', { config: (await loadLance()).Index.hnswSq({ distanceType: 'cosine', numPartitions: partitionsFor(rows), m: 20, efConstruction: 300 }), replace: true })
}

/** Rows the full-text index does not cover yet. LanceDB searches them by a scan whose BM25 scores come from other
 * statistics than the index's (a row holding every query word was missing from a top 60 of indexed rows holding
 * some), and while the index covers no rows it cuts them at the limit in table order (lance-format/lance#4780;
 * keyword recall@5 of 0.17 on the retrieval fixtures). Keyword search is correct only with every row indexed:
 * folding a write in costs ~0.2 s at 20k chunks (bench/retrieval.ts measures ingest with it). */
async function textUnindexed(table: lancedb.Table): Promise<boolean> {
  return (await table.listIndices()).some((i) => i.columns.includes('text') && (i.numUnindexedRows ?? 0) > 0)
}

/** After a write (under the collection's lock): build or rebuild the ANN index past the threshold (rebuilt when
 * the collection has doubled since: its partitions and graph were trained on what it held then), then fold the new
 * rows into the indexes and compact. */
export async function maintainIndexes(prisma: PrismaClient, table: lancedb.Table, row: CollectionRow, threshold: number): Promise<void> {
  const rows = await table.countRows()
  if (rows >= threshold && (!row.indexedAt || rows >= 2 * row.indexedChunks)) {
    await buildVectorIndex(table, rows)
    await forTenant(prisma, row.tenantId).vectorCollection.update({ where: { id: row.id }, data: { indexedAt: new Date(), indexedChunks: rows } })
  }
  // Every write leaves rows outside the full-text index, so this runs after each one: it also folds them into the
  // vector index and compacts the small data files writes leave behind.
  if (await textUnindexed(table)) await table.optimize()
}
