// Search: vector (the query embedded, cosine; score = 1 − distance), keyword (BM25 over the chunk text) or hybrid
// (both lists, each fetched deeper than top-k, fused by reciprocal rank). Filters are compiled into each query
// (prefiltered); `minScore` drops hits below the mode's own score; an optional LLM re-rank reorders candidates.
import type * as lancedb from '@lancedb/lancedb'
import { tuneVectorQuery } from './ann'
import { fieldsOfRow, requireCollection, type CollectionRow } from './collections'
import type { VectorContext } from './context'
import { embedAll, sumUsd } from './embed'
import { VectorError } from './errors'
import { compileFilter } from './filter'
import { reciprocalRankFusion } from './fusion'
import { rerankHits } from './rerank'
import type { SearchFilter, SearchHit, SearchMode, SearchRequest, SearchResult, VectorScope } from './types'

const MODES: SearchMode[] = ['vector', 'keyword', 'hybrid']
const MAX_TOP_K = 100
const MAX_CANDIDATES = 100
/** Each list of a hybrid search is fetched this many times deeper than the hits wanted (at least 40). */
const HYBRID_DEPTH = 4
const COLUMNS = ['chunk_id', 'document_id', 'document_key', 'chunk_index', 'title', 'text', 'metadata']

interface Checked {
  query: string
  mode: SearchMode
  topK: number
  filter?: SearchFilter
  minScore?: number
  rerank?: { target: string; candidates: number }
}

const bad = (field: string, message: string) => new VectorError('VECTOR_INVALID', `${field}: ${message}`, { field })

function checkInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw bad(field, `a whole number from ${min} to ${max}`)
  return value
}

export function checkSearch(req: SearchRequest, maxQueryChars: number): Checked {
  if (typeof req !== 'object' || req === null) throw bad('query', 'give a search request')
  if (typeof req.query !== 'string' || !req.query.trim()) throw bad('query', 'give the text to search for')
  if (req.query.length > maxQueryChars) throw new VectorError('VECTOR_QUERY_TOO_LONG', `query: ${req.query.length} characters is over the limit of ${maxQueryChars}`, { field: 'query' })
  const mode = req.mode ?? 'hybrid'
  if (!MODES.includes(mode)) throw bad('mode', `one of ${MODES.join(', ')}`)
  const topK = req.topK === undefined ? 5 : checkInt(req.topK, 'topK', 1, MAX_TOP_K)
  if (req.minScore !== undefined && (typeof req.minScore !== 'number' || !Number.isFinite(req.minScore))) throw bad('minScore', 'a number')
  let rerank: Checked['rerank']
  if (req.rerank !== undefined) {
    if (typeof req.rerank !== 'object' || req.rerank === null || typeof req.rerank.target !== 'string' || !req.rerank.target.trim()) throw bad('rerank.target', 'name the chat deployment or route that re-ranks')
    const candidates = req.rerank.candidates === undefined ? Math.min(MAX_CANDIDATES, Math.max(topK, topK * 3)) : checkInt(req.rerank.candidates, 'rerank.candidates', topK, MAX_CANDIDATES)
    rerank = { target: req.rerank.target.trim(), candidates }
  }
  return { query: req.query, mode, topK, filter: req.filter, minScore: req.minScore, rerank }
}

interface Row {
  chunk_id: string
  document_id: string
  document_key: string
  chunk_index: number
  title: string
  text: string
  metadata: string
  _distance?: number
  _score?: number
}

function toHit(row: Row): SearchHit {
  let metadata: Record<string, unknown> = {}
  try {
    metadata = JSON.parse(row.metadata) as Record<string, unknown>
  } catch {
    // A row written by hand or damaged: shown without metadata rather than failing the search.
  }
  return {
    chunkId: row.chunk_id, documentId: row.document_id, documentKey: row.document_key, title: row.title, chunkIndex: row.chunk_index, text: row.text, metadata,
    score: 0, vectorRank: null, keywordRank: null, vectorScore: null, keywordScore: null, fusedScore: null,
  }
}

interface Lists {
  vector: Row[]
  keyword: Row[]
  embedding?: SearchResult['embedding']
}

async function vectorList(ctx: VectorContext, scope: VectorScope, collection: CollectionRow, table: lancedb.Table, q: Checked, where: string | undefined, limit: number): Promise<Pick<Lists, 'vector' | 'embedding'>> {
  const embedded = await embedAll(ctx.embed, scope, collection.embedding, collection.dimension, [q.query], [1], 1)
  let query = table.vectorSearch(embedded.vectors[0]).distanceType('cosine').select([...COLUMNS, '_distance']).limit(limit)
  if (where) query = query.where(where)
  if (collection.indexedAt) query = tuneVectorQuery(query, limit, collection.indexedChunks)
  const vector = (await query.toArray()) as Row[]
  return { vector, embedding: { tokens: embedded.tokens, costUsd: sumUsd(embedded.costs), deployment: embedded.deployment } }
}

async function keywordList(table: lancedb.Table, q: Checked, where: string | undefined, limit: number): Promise<Row[]> {
  let query = table.query().fullTextSearch(q.query, { columns: 'text' }).select([...COLUMNS, '_score']).limit(limit)
  if (where) query = query.where(where)
  // LanceDB returns the rows its full-text index covers and those written since (scanned) as two runs, each in score
  // order: one list, best first (ties by chunk id, so equal scores rank the same on every call).
  const rows = (await query.toArray()) as Row[]
  return rows.sort((a, b) => b._score! - a._score! || (a.chunk_id < b.chunk_id ? -1 : a.chunk_id > b.chunk_id ? 1 : 0))
}

function ranked(q: Checked, lists: Lists): SearchHit[] {
  if (q.mode === 'vector') return lists.vector.map((r, i) => ({ ...toHit(r), score: 1 - r._distance!, vectorRank: i + 1, vectorScore: 1 - r._distance! }))
  if (q.mode === 'keyword') return lists.keyword.map((r, i) => ({ ...toHit(r), score: r._score!, keywordRank: i + 1, keywordScore: r._score! }))
  const rows = new Map([...lists.vector, ...lists.keyword].map((r) => [r.chunk_id, r]))
  const fused = reciprocalRankFusion(
    lists.vector.map((r) => ({ id: r.chunk_id, score: 1 - r._distance! })),
    lists.keyword.map((r) => ({ id: r.chunk_id, score: r._score! })),
  )
  return fused.map((f) => ({ ...toHit(rows.get(f.id)!), ...f, score: f.fusedScore }))
}

async function fetchLists(ctx: VectorContext, scope: VectorScope, collection: CollectionRow, table: lancedb.Table, q: Checked, where: string | undefined, wanted: number): Promise<Lists> {
  const depth = q.mode === 'hybrid' ? Math.max(40, wanted * HYBRID_DEPTH) : wanted
  const [vector, keyword] = await Promise.all([
    q.mode === 'keyword' ? { vector: [] } : vectorList(ctx, scope, collection, table, q, where, depth),
    q.mode === 'vector' ? [] : keywordList(table, q, where, depth),
  ])
  return { ...vector, keyword }
}

export async function search(ctx: VectorContext, scope: VectorScope, name: string, req: SearchRequest): Promise<SearchResult> {
  const started = performance.now()
  const q = checkSearch(req, ctx.settings.maxQueryChars)
  const collection = await requireCollection(ctx.prisma, scope, name)
  const where = compileFilter(q.filter, fieldsOfRow(collection))
  const table = await ctx.store.table(collection.id)
  const wanted = q.rerank?.candidates ?? q.topK
  // An empty collection has no table yet: no hits, and nothing embedded.
  const lists: Lists = table ? await fetchLists(ctx, scope, collection, table, q, where, wanted) : { vector: [], keyword: [] }
  let hits = ranked(q, lists).filter((h) => q.minScore === undefined || h.score >= q.minScore).slice(0, wanted)
  let rerank: SearchResult['rerank']
  if (q.rerank && hits.length) {
    const out = await rerankHits(ctx.ai, scope, q.rerank.target, q.query, hits)
    hits = out.hits
    rerank = out.usage
  }
  return {
    mode: q.mode,
    hits: hits.slice(0, q.topK),
    usedIndex: q.mode !== 'keyword' && table !== null && collection.indexedAt !== null,
    ...(lists.embedding ? { embedding: lists.embedding } : {}),
    ...(rerank ? { rerank } : {}),
    tookMs: Math.round((performance.now() - started) * 100) / 100,
  }
}
