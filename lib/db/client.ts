// Prisma 7 over PostgreSQL through the pg driver adapter (no native query engine).
import { PrismaPg } from '@prisma/adapter-pg'
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

export function createPrisma(url: string, opts: { max?: number; connectTimeoutMs?: number } = {}): PrismaClient {
  const max = opts.max ?? 10
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max, connectionTimeoutMillis: opts.connectTimeoutMs }) })
  configs.set(client, { url, max, connectTimeoutMs: opts.connectTimeoutMs })
  return client
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
