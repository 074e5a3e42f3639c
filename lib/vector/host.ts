// The vector host (host service `vectors`): collections in PostgreSQL, chunks and vectors in LanceDB, embeddings
// through the AI router. One per process; `close()` releases the store's connections.
import type { AiRouter } from '../ai/router'
import type { PrismaClient } from '../db/generated/client'
import type { Env } from '../env'
import type { VectorHost } from './types'
import { unavailableVectors } from './unavailable'

export interface VectorHostOptions extends Partial<Env['vectors']> {
  prisma: PrismaClient
  ai: AiRouter
}

export type VectorHostWithClose = VectorHost & { close(): Promise<void> }

export function createVectorHost(_opts: VectorHostOptions): VectorHostWithClose {
  // Being built: every call refuses until the LanceDB store lands.
  return { ...unavailableVectors, close: async () => undefined }
}
