// Everything the processes need before they start, for one machine with nothing configured:
// secrets, a PostgreSQL (given or embedded), a Redis (given, local, or spawned), migrations, the first owner.
import { createPrisma } from '../db/client'
import { bootstrapOwner, type BootstrapResult } from '../db/bootstrap'
import { migrate } from '../db/migrate'
import { readEnv } from '../env'
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from './postgres'
import { findOrStartRedis, type RunningRedis } from './redis-server'
import { createRedis, redisDurabilityWarnings } from '../redis'
import { loadOrCreateSecrets } from './secrets'

export interface PreparedRuntime {
  /** Variables to pass to the web, realtime and worker processes. */
  env: Record<string, string>
  owner: BootstrapResult
  embeddedPostgres: boolean
  redisStarted: boolean
  stop(): Promise<void>
}

export async function prepareRuntime(log: (line: string) => void): Promise<PreparedRuntime> {
  const e = readEnv()
  const stops: Array<() => Promise<void>> = []
  const secrets = loadOrCreateSecrets(e.dataDir)

  let databaseUrl = e.databaseUrl
  if (!databaseUrl) {
    log(`PostgreSQL: starting embedded server (data in ${e.dataDir}/postgres)`)
    const pg = await startEmbeddedPostgres(e.dataDir, { log })
    stops.push(pg.stop)
    await ensureDatabase(pg.adminUrl, 'auterity')
    databaseUrl = withDatabase(pg.adminUrl, 'auterity')
  }
  const applied = await migrate(databaseUrl)
  if (applied.length) log(`PostgreSQL: applied migrations ${applied.join(', ')}`)

  let redis: RunningRedis
  if (e.redisUrl) redis = { url: e.redisUrl, stop: async () => {} }
  else {
    redis = await findOrStartRedis(e.dataDir)
    log(redis.process ? `Redis: started redis-server at ${redis.url} (data in ${e.dataDir}/redis)` : `Redis: using ${redis.url}`)
  }
  stops.push(redis.stop)
  const probe = createRedis(redis.url)
  try {
    for (const line of await redisDurabilityWarnings(probe)) log(line)
  } finally {
    probe.disconnect()
  }

  const prisma = createPrisma(databaseUrl, { max: 2 })
  let owner: BootstrapResult
  try {
    owner = await bootstrapOwner(prisma, { email: e.adminEmail, password: e.adminPassword, apiKey: e.apiKey })
  } finally {
    await prisma.$disconnect()
  }

  return {
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      AUTERITY_ENCRYPTION_KEY: e.encryptionKey ?? secrets.encryptionKey,
      NEXTAUTH_SECRET: e.nextAuthSecret ?? secrets.nextAuthSecret,
      NEXTAUTH_URL: e.publicUrl,
      AUTERITY_DATA_DIR: e.dataDir,
    },
    owner,
    embeddedPostgres: !e.databaseUrl,
    redisStarted: Boolean(redis.process),
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {})
    },
  }
}
