// Prisma 7 over PostgreSQL through the pg driver adapter (no native query engine).
import { PrismaPg } from '@prisma/adapter-pg'
import type { Pool } from 'pg'
import { PrismaClient } from './generated/client'
import { env, requireDatabaseUrl } from '../env'
import { webProcess } from '../composition/web'

export type Db = PrismaClient
export { PrismaClient }

export interface ConnectionConfig {
  url: string
  max: number
  /** Give up on a new connection (or a free pooled one) after this long; unset: wait as long as it takes. */
  connectTimeoutMs?: number
}

const configs = new WeakMap<object, ConnectionConfig>()
/** The pg pool each client's adapter opened (on its first query; again after a $disconnect). */
const pools = new WeakMap<object, Pool>()

export function createPrisma(url: string, opts: { max?: number; connectTimeoutMs?: number } = {}): PrismaClient {
  const max = opts.max ?? 10
  const adapter = new PrismaPg({ connectionString: url, max, connectionTimeoutMillis: opts.connectTimeoutMs })
  const client = new PrismaClient({ adapter })
  // The adapter makes its pool inside connect(): noted here so the metrics can read its counters (lib/metrics).
  const connect = adapter.connect.bind(adapter)
  adapter.connect = async () => {
    const connected = await connect()
    pools.set(client, connected.underlyingDriver())
    return connected
  }
  configs.set(client, { url, max, connectTimeoutMs: opts.connectTimeoutMs })
  return client
}

/** The pool under a client made by createPrisma, once it has connected: total, idle and waiting counts. */
export function poolOf(prisma: PrismaClient): Pool | undefined {
  return pools.get(prisma)
}

/** Where a client made by createPrisma connects (the worker's hot path opens a plain pg pool beside it). */
export function connectionConfigOf(prisma: PrismaClient): ConnectionConfig | undefined {
  return configs.get(prisma)
}

/**
 * The web (and realtime) process's client, one per process (kept in lib/composition/web.ts: survives Next dev reloads). It waits at most
 * AUTERITY_DB_CONNECT_TIMEOUT_MS for a connection, so an unreachable PostgreSQL is a quick 503; workers make their
 * own client with createPrisma and keep waiting.
 */
export function getPrisma(): PrismaClient {
  const web = webProcess()
  web.prisma ??= createPrisma(requireDatabaseUrl(), { connectTimeoutMs: env().failFast.dbConnectTimeoutMs })
  return web.prisma
}

/** Tests that re-point the process at another database: disconnect the client so the next getPrisma makes a new one. */
export async function closeWebPrisma(): Promise<void> {
  const web = webProcess()
  const prisma = web.prisma
  web.prisma = undefined
  await prisma?.$disconnect().catch(() => undefined)
}
