// The vector host (host service `vectors`): collections in PostgreSQL, chunks and vectors in LanceDB, embeddings
// through the AI router. One per process; the store connects on first use and `close()` releases it.
import type { AiRouter } from '../ai/router'
import type { CallMeta, EmbedRequest, EmbedResult } from '../ai/types'
import type { PrismaClient } from '../db/generated/client'
import { env, type Env } from '../env'
import { findCollection, checkName, toInfo } from './collections'
import type { VectorContext } from './context'
import { deleteDocuments, listChunks, listDocuments } from './documents'
import { createCollectionRow, ingest } from './ingest'
import { KeyedLock } from './lock'
import { search } from './search'
import { ChunkStore } from './store'
import { forTenant } from '../db/scope'
import type { VectorHost } from './types'

/** How documents and queries are embedded: the router's `embed` unless a host (the bench) brings its own. */
export type EmbedFn = (req: EmbedRequest, meta: CallMeta) => Promise<EmbedResult>

export interface VectorHostOptions extends Partial<Env['vectors']> {
  prisma: PrismaClient
  /** Embeddings (unless `embed` is given) and LLM re-ranking. */
  ai: AiRouter
  embed?: EmbedFn
}

export type VectorHostWithClose = VectorHost & { close(): Promise<void> }

/** The settings: each option given wins over lib/env's `vectors` (an undefined option does not). */
function settingsOf(opts: VectorHostOptions): Env['vectors'] {
  const given = Object.fromEntries(Object.entries(opts).filter(([k, v]) => v !== undefined && k in env().vectors))
  return { ...env().vectors, ...given }
}

export function createVectorHost(opts: VectorHostOptions): VectorHostWithClose {
  const settings = settingsOf(opts)
  const ctx: VectorContext = {
    prisma: opts.prisma,
    ai: opts.ai,
    embed: opts.embed ?? ((req, meta) => opts.ai.embed(req, meta)),
    ownEmbed: opts.embed !== undefined,
    store: new ChunkStore({ uri: settings.uri, s3: settings.s3 }),
    locks: new KeyedLock(),
    settings,
  }
  return {
    async listCollections(scope) {
      const rows = await forTenant(ctx.prisma, scope.tenantId).vectorCollection.findMany({ orderBy: { name: 'asc' } })
      return rows.map(toInfo)
    },
    async getCollection(scope, name) {
      const row = await findCollection(ctx.prisma, scope, checkName(name))
      return row ? toInfo(row) : null
    },
    async createCollection(scope, spec) {
      return toInfo(await createCollectionRow(ctx, scope, spec))
    },
    ingest: (scope, collection, docs, o) => ingest(ctx, scope, collection, docs, o),
    search: (scope, collection, req) => search(ctx, scope, collection, req),
    delete: (scope, collection, req) => deleteDocuments(ctx, scope, collection, req),
    listDocuments: (scope, collection, o) => listDocuments(ctx, scope, collection, o),
    listChunks: (scope, collection, key) => listChunks(ctx, scope, collection, key),
    async close() {
      ctx.store.close()
    },
  }
}
