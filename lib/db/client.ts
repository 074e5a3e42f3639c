// Prisma 7 over PostgreSQL through the pg driver adapter (no native query engine).
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/client'
import { requireDatabaseUrl } from '../env'

export type Db = PrismaClient
export { PrismaClient }

export interface ConnectionConfig {
  url: string
  max: number
}

const configs = new WeakMap<object, ConnectionConfig>()

export function createPrisma(url: string, opts: { max?: number } = {}): PrismaClient {
  const max = opts.max ?? 10
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) })
  configs.set(client, { url, max })
  return client
}

/** Where a client made by createPrisma connects (the worker's hot path opens a plain pg pool beside it). */
export function connectionConfigOf(prisma: PrismaClient): ConnectionConfig | undefined {
  return configs.get(prisma)
}

const globalForPrisma = globalThis as unknown as { __auterityPrisma?: PrismaClient }

/** One client per process (survives Next dev reloads). */
export function getPrisma(): PrismaClient {
  globalForPrisma.__auterityPrisma ??= createPrisma(requireDatabaseUrl())
  return globalForPrisma.__auterityPrisma
}
