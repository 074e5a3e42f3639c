// Prisma 7 over PostgreSQL through the pg driver adapter (no native query engine).
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/client'
import { requireDatabaseUrl } from '../env'

export type Db = PrismaClient
export { PrismaClient }

export function createPrisma(url: string, opts: { max?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: opts.max ?? 10 }) })
}

const globalForPrisma = globalThis as unknown as { __auterityPrisma?: PrismaClient }

/** One client per process (survives Next dev reloads). */
export function getPrisma(): PrismaClient {
  globalForPrisma.__auterityPrisma ??= createPrisma(requireDatabaseUrl())
  return globalForPrisma.__auterityPrisma
}
