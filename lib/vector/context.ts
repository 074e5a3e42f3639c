// What every part of the vector host shares: the database, the router, how to embed, the chunk store, the
// per-collection write lock and the settings (lib/env `vectors`, overridable per host).
import type { AiRouter } from '../ai/router'
import type { PrismaClient } from '../db/generated/client'
import type { Env } from '../env'
import type { EmbedFn } from './host'
import type { KeyedLock } from './lock'
import type { ChunkStore } from './store'

export interface VectorContext {
  prisma: PrismaClient
  ai: AiRouter
  embed: EmbedFn
  /** The host brought its own `embed` (the bench): targets are not looked up in the router's catalog. */
  ownEmbed: boolean
  store: ChunkStore
  locks: KeyedLock
  settings: Env['vectors']
}
