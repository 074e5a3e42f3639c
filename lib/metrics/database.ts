// The PostgreSQL pools a process holds, watched by its metrics: Prisma's (through its pg adapter) and the hot path's
// plain pg pool (lib/services/hot-db.ts), each only once it exists: a scrape opens no connection.
import { poolOf, type PrismaClient } from '../db/client'
import { openHotDb } from '../services/hot-db'
import type { Metrics } from './metrics'

export function watchDatabasePools(metrics: Metrics, prisma: () => PrismaClient | undefined): void {
  metrics.watchPool('prisma', () => {
    const client = prisma()
    return client ? poolOf(client) : undefined
  })
  metrics.watchPool('hot', () => {
    const client = prisma()
    return client ? openHotDb(client)?.pool : undefined
  })
}
