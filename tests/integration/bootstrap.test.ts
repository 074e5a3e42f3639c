// What `npm start` does on a machine with nothing configured: embedded PostgreSQL kept across restarts,
// a spawned redis-server, and one clear line (never a hang) when Redis cannot be had.
import fs from 'node:fs'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from '../../lib/db/migrate'
import { canConnect } from '../../lib/infra/net'
import { ensureDatabase, startEmbeddedPostgres, tmpDataDir, withDatabase } from '../../lib/infra/postgres'
import { RedisUnavailableError, startRedisServer } from '../../lib/infra/redis-server'
import { loadOrCreateSecrets } from '../../lib/infra/secrets'

const dirs: string[] = []
const dir = () => {
  const d = tmpDataDir('auterity-boot-')
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

async function count(url: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return Number((await c.query(sql)).rows[0].n)
  } finally {
    await c.end()
  }
}

describe('one-machine bootstrap', () => {
  it('embedded PostgreSQL keeps its data across restarts and migrations apply once', async () => {
    const data = dir()
    let server = await startEmbeddedPostgres(data)
    await ensureDatabase(server.adminUrl, 'auterity')
    const url = withDatabase(server.adminUrl, 'auterity')
    expect(await migrate(url)).toEqual(expect.arrayContaining(['0001_init']))
    await count(url, `INSERT INTO "Tenant" (id, name, slug) VALUES ('t1', 'Kept', 'kept') RETURNING 1 AS n`)
    await server.stop()

    server = await startEmbeddedPostgres(data)
    const url2 = withDatabase(server.adminUrl, 'auterity')
    expect(await migrate(url2)).toEqual([])
    expect(await count(url2, `SELECT count(*) AS n FROM "Tenant" WHERE slug = 'kept'`)).toBe(1)
    await server.stop()
  }, 60_000)

  it('starts redis-server from PATH on a free port and stops it', async () => {
    const redis = await startRedisServer(dir())
    const port = Number(new URL(redis.url).port)
    expect(await canConnect('127.0.0.1', port)).toBe(true)
    await redis.stop()
    expect(await canConnect('127.0.0.1', port)).toBe(false)
  })

  it('says how to install Redis, at once, when there is none', async () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      const started = Date.now()
      const err = await startRedisServer(dir()).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(RedisUnavailableError)
      expect((err as Error).message).toMatch(/apt-get install -y redis-server/)
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      process.env.PATH = path
    }
  })

  it('generates secrets once and reuses them', () => {
    const data = dir()
    const a = loadOrCreateSecrets(data)
    expect(Buffer.from(a.encryptionKey, 'base64')).toHaveLength(32)
    expect(loadOrCreateSecrets(data)).toEqual(a)
  })
})
