// Applies the committed prisma/migrations/*/migration.sql files in order, once each, recorded in
// _auterity_migrations. The Prisma CLI's native schema engine cannot be downloaded everywhere, so
// production and tests share this small runner. A checksum mismatch on an applied migration fails loudly.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { projectRoot } from '../paths'

export const MIGRATIONS_DIR = path.join(projectRoot, 'prisma/migrations')

export interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

/** Returns the names of the migrations it applied. Safe to run from several processes at once. */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const applied: string[] = []
  try {
    // One migrator at a time per database.
    await client.query('SELECT pg_advisory_lock(7261731)')
    await client.query(`CREATE TABLE IF NOT EXISTS _auterity_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM _auterity_migrations')
    const done = new Map(rows.map((r) => [r.name, r.checksum]))
    for (const m of readMigrations(dir)) {
      const seen = done.get(m.name)
      if (seen) {
        if (seen !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied (checksum differs)`)
        continue
      }
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query('INSERT INTO _auterity_migrations (name, checksum) VALUES ($1, $2)', [m.name, m.checksum])
        await client.query('COMMIT')
        applied.push(m.name)
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`)
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(7261731)').catch(() => {})
    await client.end()
  }
  return applied
}
