// The collections API (app/api/collections/**, docs/api.md) as the studio's collection pages call it. The shapes are
// the vector host's own (lib/vector/types.ts, types only: nothing server-side reaches the bundle).
import type { CollectionInfo, CollectionSpec, DeleteRequest, DocumentInfo, ChunkInfo, IngestResult, SearchRequest, SearchResult } from '../vector/types'
import { api, ApiError, buildUrl, toApiError } from './api'

export type { CollectionInfo, DocumentInfo, ChunkInfo, IngestResult, SearchRequest, SearchResult }
export type { SearchHit, SearchMode, SearchFilter } from '../vector/types'

/** A document as pasted text: plain, Markdown or HTML. */
export interface TextDocument {
  key: string
  text: string
  mimeType?: 'text/plain' | 'text/markdown' | 'text/html'
  title?: string
  metadata?: Record<string, unknown>
}

const enc = encodeURIComponent
const base = (name: string) => `/api/collections/${enc(name)}`

/** Multipart: the JSON client sends JSON only. Each file becomes a document keyed `keyPrefix + file name`. */
async function upload(name: string, files: File[], opts: { keyPrefix?: string; metadata?: Record<string, unknown> }): Promise<{ results: IngestResult[] }> {
  const form = new FormData()
  if (opts.keyPrefix) form.set('keyPrefix', opts.keyPrefix)
  if (opts.metadata) form.set('metadata', JSON.stringify(opts.metadata))
  for (const f of files) form.append('files', f, f.name)
  let res: Response
  try {
    res = await fetch(buildUrl('', `${base(name)}/documents`), { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } })
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server. Check your connection and try again.')
  }
  if (!res.ok) throw await toApiError(res)
  return (await res.json()) as { results: IngestResult[] }
}

export const collectionsApi = {
  list: () => api.request<{ collections: CollectionInfo[] }>('/api/collections'),
  get: (name: string) => api.request<CollectionInfo>(base(name)),
  create: (body: CollectionSpec) => api.request<CollectionInfo>('/api/collections', { method: 'POST', body }),
  remove: (name: string) => api.request<{ documents: number; chunks: number }>(base(name), { method: 'DELETE' }),
  documents: (name: string, query: { cursor?: string | null; limit?: number; search?: string }) =>
    api.request<{ documents: DocumentInfo[]; nextCursor: string | null }>(`${base(name)}/documents`, { query }),
  chunks: (name: string, key: string) => api.request<{ chunks: ChunkInfo[] }>(`${base(name)}/documents/${enc(key)}/chunks`),
  addText: (name: string, documents: TextDocument[]) => api.request<{ results: IngestResult[] }>(`${base(name)}/documents`, { method: 'POST', body: { documents } }),
  upload,
  deleteDocuments: (name: string, body: Pick<DeleteRequest, 'keys' | 'filter' | 'all'>) =>
    api.request<{ documents: number; chunks: number }>(`${base(name)}/documents`, { method: 'DELETE', body }),
  query: (name: string, body: SearchRequest) => api.request<SearchResult>(`${base(name)}/query`, { method: 'POST', body }),
}
