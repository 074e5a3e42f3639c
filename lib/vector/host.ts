// The vector host (host service `vectors`): collections in PostgreSQL, chunks and vectors in LanceDB, embeddings
// through the AI router. One per process; `close()` releases the store's connections.
import type { AiRouter } from '../ai/router'
import type { CallMeta, EmbedRequest, EmbedResult } from '../ai/types'
import type { PrismaClient } from '../db/generated/client'
import type { Env } from '../env'
import type { VectorHost } from './types'
import { unavailableVectors } from './unavailable'

/** How documents and queries are embedded: the router's `embed` unless a host (the bench) brings its own. */
export type EmbedFn = (req: EmbedRequest, meta: CallMeta) => Promise<EmbedResult>

export interface VectorHostOptions extends Partial<Env['vectors']> {
  prisma: PrismaClient
  /** Embeddings (unless `embed` is given) and LLM re-ranking. */
  ai: AiRouter
  embed?: EmbedFn
}

export type VectorHostWithClose = VectorHost & { close(): Promise<void> }

export function createVectorHost(_opts: VectorHostOptions): VectorHostWithClose {
  // Being built: every call refuses until the LanceDB store lands.
  return { ...unavailableVectors, close: async () => undefined }
}
