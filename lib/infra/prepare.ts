// Everything the processes need before they start, for one machine with nothing configured, in two stages:
// `startLocalServices` — secrets, a PostgreSQL (given or embedded) and a Redis (given, local, or spawned) — runs in
// the `npm start` supervisor, which owns those servers; `setupDatabase` — migrations, Redis durability warnings,
// the first owner — needs Prisma and runs in a one-shot child (scripts/setup.ts), so the long-lived supervisor
// never loads it. `prepareRuntime` does both in one process (the e2e stack).
import { readEnv } from '../env'
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from './postgres'
import { findOrStartRedis, type RunningRedis } from './redis-server'
import { loadOrCreateSecrets } from './secrets'
import type { BootstrapResult } from '../db/bootstrap'

export interface LocalServices {
  /** Variables to pass to the web, realtime and worker processes. */
  env: Record<string, string>
  embeddedPostgres: boolean
  redisStarted: boolean
  stop(): Promise<void>
}

export interface PreparedRuntime extends LocalServices {
  owner: BootstrapResult
}

export async function startLocalServices(log: (line: string) => void): Promise<LocalServices> {
  const e = readEnv()
  const stops: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {})
  }
  try {
    const secrets = loadOrCreateSecrets(e.dataDir)
    let databaseUrl = e.databaseUrl
    if (!databaseUrl) {
      log(`PostgreSQL: starting the embedded server (data in ${e.dataDir}/postgres)`)
      const pg = await startEmbeddedPostgres(e.dataDir, { log, callerHandlesSignals: true })
      stops.push(pg.stop)
      await ensureDatabase(pg.adminUrl, 'auterity')
      databaseUrl = withDatabase(pg.adminUrl, 'auterity')
    }
    let redis: RunningRedis
    if (e.redisUrl) redis = { url: e.redisUrl, stop: async () => {} }
    else {
      redis = await findOrStartRedis(e.dataDir)
      log(redis.process ? `Redis: started redis-server at ${redis.url} (data in ${e.dataDir}/redis)` : `Redis: using ${redis.url}`)
    }
    stops.push(redis.stop)
    return {
      env: {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        AUTERITY_ENCRYPTION_KEY: e.encryptionKey ?? secrets.encryptionKey,
        NEXTAUTH_SECRET: e.nextAuthSecret ?? secrets.nextAuthSecret,
        NEXTAUTH_URL: e.publicUrl,
        AUTERITY_DATA_DIR: e.dataDir,
      },
      embeddedPostgres: !e.databaseUrl,
      redisStarted: Boolean(redis.process),
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}

/**
 * A warm start's short way: applies pending migrations (plain `pg`, no Prisma) and says whether the one-shot setup is
 * still needed — no tenant yet (the first owner is to be made), or AUTERITY_API_KEY given (to be ensured).
 */
export async function migrateAndCheckOwner(databaseUrl: string, log: (line: string) => void): Promise<{ setupNeeded: boolean }> {
  const { migrate } = await import('../db/migrate')
  const applied = await migrate(databaseUrl)
  if (applied.length) log(`PostgreSQL: applied migrations ${applied.join(', ')}`)
  if (readEnv().apiKey) return { setupNeeded: true }
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM "Tenant" LIMIT 1')
    return { setupNeeded: !rowCount }
  } finally {
    await client.end()
  }
}

/** Migrations, Redis durability warnings and the first owner, against the URLs `startLocalServices` gave. */
export async function setupDatabase(urls: { DATABASE_URL: string; REDIS_URL: string }, log: (line: string) => void): Promise<{ owner: BootstrapResult; applied: string[] }> {
  const e = readEnv()
  const [{ migrate }, { createRedis, redisDurabilityWarnings }, { createPrisma }, { bootstrapOwner }] = await Promise.all([
    import('../db/migrate'),
    import('../redis'),
    import('../db/client'),
    import('../db/bootstrap'),
  ])
  const applied = await migrate(urls.DATABASE_URL)
  if (applied.length) log(`PostgreSQL: applied migrations ${applied.join(', ')}`)
  const probe = createRedis(urls.REDIS_URL)
  try {
    for (const line of await redisDurabilityWarnings(probe)) log(line)
  } finally {
    probe.disconnect()
  }
  const prisma = createPrisma(urls.DATABASE_URL, { max: 2 })
  try {
    const owner = await bootstrapOwner(prisma, { email: e.adminEmail, password: e.adminPassword, apiKey: e.apiKey })
    return { owner, applied }
  } finally {
    await prisma.$disconnect()
  }
}

export async function prepareRuntime(log: (line: string) => void): Promise<PreparedRuntime> {
  const services = await startLocalServices(log)
  try {
    const { owner } = await setupDatabase(services.env as { DATABASE_URL: string; REDIS_URL: string }, log)
    return { ...services, owner }
  } catch (err) {
    await services.stop()
    throw err
  }
}
