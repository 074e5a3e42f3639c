// Once per integration run: a real PostgreSQL (DATABASE_URL, else the local server on 5432, else embedded)
// with a template database holding the migrated schema, and a real Redis. Test files clone the template.
import type { TestProject } from 'vitest/node'
import { readMigrations, migrate } from '../../lib/db/migrate'
import { canConnect } from '../../lib/infra/net'
import { ensureDatabase, startEmbeddedPostgres, tmpDataDir, withDatabase } from '../../lib/infra/postgres'
import { findOrStartRedis } from '../../lib/infra/redis-server'
import { createHash } from 'node:crypto'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    pgTemplate: string
    redisUrl: string
  }
}

export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = []
  let adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
  if (!adminUrl) {
    if (await canConnect('127.0.0.1', 5432)) adminUrl = 'postgresql://postgres@127.0.0.1:5432/postgres'
    else {
      const pg = await startEmbeddedPostgres(tmpDataDir('auterity-test-pg-'))
      adminUrl = pg.adminUrl
      stops.push(pg.stop)
    }
  }
  const checksum = createHash('sha256').update(readMigrations().map((m) => m.checksum).join()).digest('hex').slice(0, 12)
  const template = `auterity_tpl_${checksum}`
  await ensureDatabase(adminUrl, template)
  await migrate(withDatabase(adminUrl, template))

  const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => {} } : await findOrStartRedis(tmpDataDir('auterity-test-redis-'))
  stops.push(redis.stop)

  project.provide('pgAdminUrl', adminUrl)
  project.provide('pgTemplate', template)
  project.provide('redisUrl', redis.url)
  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {})
  }
}
