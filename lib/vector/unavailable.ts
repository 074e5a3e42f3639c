// A vector host for places that keep no collections (template test cases, tests of other nodes): every call refuses.
import { NodeError } from '../engine/types'
import type { VectorHost } from './types'

const refuse = () => Promise.reject(new NodeError('No vector store is available here: retrieval steps run on a worker', { code: 'VECTORS_UNAVAILABLE' }))

export const unavailableVectors: VectorHost = {
  listCollections: refuse,
  getCollection: refuse,
  createCollection: refuse,
  ingest: refuse,
  search: refuse,
  delete: refuse,
  listDocuments: refuse,
  listChunks: refuse,
}
