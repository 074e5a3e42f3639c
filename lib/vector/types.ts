// Retrieval's vocabulary: collections per workspace, documents split into chunks, searches (vector, keyword,
// hybrid) with filters and an optional re-rank. The host service `vectors` (lib/nodes/host-services.ts) is a
// VectorHost; nodes, the API and the studio's collection page all go through it. Types only: browser-safe.

/** A metadata value a filter can test. Documents' metadata are flat objects of these (nested values are kept
 * but cannot be filtered on). */
export type MetaValue = string | number | boolean

/** `{ lang: 'en' }` equals; `{ year: { gte: 2020, lt: 2024 } }` range; `{ tag: { in: ['a', 'b'] } }` one of;
 * `{ lang: { ne: 'en' } }` not equal. Fields at the top level are ANDed. Built into the store's query (never
 * applied to results afterwards), with names checked against the collection's known fields and values escaped. */
export type FilterCondition = MetaValue | { eq?: MetaValue; ne?: MetaValue; in?: MetaValue[]; gt?: number | string; gte?: number | string; lt?: number | string; lte?: number | string }
export type SearchFilter = Record<string, FilterCondition>

export type SearchMode = 'vector' | 'keyword' | 'hybrid'

/** Who is asking: the workspace (every lookup is scoped to it) and, for the AI ledger, the run and step. */
export interface VectorScope {
  tenantId: string
  workflowId?: string
  executionId?: string
  stepId?: string
  apiKeyId?: string
  source?: 'workflow' | 'api'
  signal?: AbortSignal
}

export interface CollectionSpec {
  name: string
  description?: string
  /** The AI router target (an embedding deployment or a route of them). */
  embedding: string
  /** Omitted: the deployment's configured dimensions, else the length of the first embedding. */
  dimension?: number
  /** Tokens per chunk (default 400) and overlap between neighbours (default 60). */
  chunkSize?: number
  chunkOverlap?: number
}

export interface CollectionInfo {
  id: string
  name: string
  description: string
  embedding: string
  dimension: number
  chunkSize: number
  chunkOverlap: number
  /** Metadata fields seen so far and their types: what filters may name. */
  fields: Record<string, 'string' | 'number' | 'boolean'>
  documentCount: number
  chunkCount: number
  /** True once the ANN index is built (past `indexThreshold` chunks). */
  indexed: boolean
  createdAt: string
  updatedAt: string
}

/** What an ingest reads a file through: size known before a byte is read (large files are refused first). */
export interface DocumentFile {
  name: string
  mimeType: string
  size: number
  read(maxBytes: number): Promise<Buffer>
}

export interface IngestDocument {
  /** The caller's id: re-ingesting a key replaces that document's chunks (an unchanged one is skipped). */
  key: string
  title?: string
  /** Either text (with its type: plain, Markdown or HTML) or a file (text, Markdown, HTML or PDF). */
  text?: string
  mimeType?: string
  file?: DocumentFile
  metadata?: Record<string, unknown>
}

export interface IngestResult {
  key: string
  documentId: string
  /** added: new key; replaced: its chunks replaced; unchanged: same content, nothing embedded or written. */
  status: 'added' | 'replaced' | 'unchanged'
  chunks: number
  tokens: number
  /** Embedding cost of this document (USD decimal string; "0" when unchanged). */
  costUsd: string
}

export interface IngestOptions {
  /** Create the collection when it does not exist yet (the Ingest node's settings). */
  create?: Omit<CollectionSpec, 'name'>
}

export interface SearchRequest {
  query: string
  /** Default hybrid. */
  mode?: SearchMode
  /** Default 5, at most 100. */
  topK?: number
  filter?: SearchFilter
  /** Drop hits scoring below this (vector: cosine similarity; keyword: BM25; hybrid: fused). */
  minScore?: number
  /** Re-rank the top candidates with an LLM (a chat target); `candidates` fetched first (default topK × 3). */
  rerank?: { target: string; candidates?: number }
}

export interface SearchHit {
  /** `<documentId>:<chunkIndex>` */
  chunkId: string
  documentId: string
  documentKey: string
  title: string
  chunkIndex: number
  text: string
  metadata: Record<string, unknown>
  /** The score the hits are ordered by (the mode's own, or the re-rank's). */
  score: number
  /** Why it ranked here: 1-based ranks in each list (null: not in that list) and each list's score. */
  vectorRank: number | null
  keywordRank: number | null
  vectorScore: number | null
  keywordScore: number | null
  /** Hybrid: the reciprocal-rank-fusion score. */
  fusedScore: number | null
  /** With rerank: the LLM's relevance (0–10) and the rank before it. */
  rerankScore?: number | null
  rankBeforeRerank?: number | null
}

export interface SearchResult {
  mode: SearchMode
  hits: SearchHit[]
  /** Whether the ANN index served the vector part (else an exact scan). */
  usedIndex: boolean
  embedding?: { tokens: number; costUsd: string; deployment: string }
  rerank?: { tokens: number; costUsd: string; deployment: string }
  tookMs: number
}

/** Delete documents by key, by metadata filter, or all of a collection's; `dropCollection` removes it entirely. */
export interface DeleteRequest {
  keys?: string[]
  filter?: SearchFilter
  all?: boolean
  dropCollection?: boolean
}

export interface DocumentInfo {
  id: string
  key: string
  title: string
  mimeType: string
  chunkCount: number
  tokenCount: number
  metadata: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

export interface ChunkInfo {
  chunkId: string
  chunkIndex: number
  text: string
  tokens: number
}

export interface VectorHost {
  listCollections(scope: VectorScope): Promise<CollectionInfo[]>
  getCollection(scope: VectorScope, name: string): Promise<CollectionInfo | null>
  createCollection(scope: VectorScope, spec: CollectionSpec): Promise<CollectionInfo>
  ingest(scope: VectorScope, collection: string, docs: IngestDocument[], opts?: IngestOptions): Promise<IngestResult[]>
  search(scope: VectorScope, collection: string, req: SearchRequest): Promise<SearchResult>
  delete(scope: VectorScope, collection: string, req: DeleteRequest): Promise<{ documents: number; chunks: number }>
  listDocuments(scope: VectorScope, collection: string, opts?: { cursor?: string; limit?: number; search?: string }): Promise<{ documents: DocumentInfo[]; nextCursor: string | null }>
  listChunks(scope: VectorScope, collection: string, documentKey: string): Promise<ChunkInfo[]>
}
