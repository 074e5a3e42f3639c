// The two SQL servers the SQL node tests run against, behind one shape: a database of their own per test file, an
// admin connection for setup and for killing a session, and the DDL/SQL that differs between them.
import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import pg from 'pg'
import { inject } from 'vitest'
import type { CredentialData } from '@/lib/engine/types'

export interface SqlBackend {
  type: 'postgres' | 'mysql'
  host: string
  port: number
  credential: Omit<CredentialData, 'id'>
  /** A credential the server refuses. */
  badCredential: Omit<CredentialData, 'id'>
  admin(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>
  /** `t(id, email unique, name, n)`, empty. */
  createTable(name: string): Promise<void>
  tableExists(name: string): Promise<boolean>
  /** Fill `name` with `count` rows (email `e<i>`, n = i). */
  fill(name: string, count: number): Promise<void>
  placeholder(n: number): string
  /** A query that sleeps five seconds, and the kill of the session running it (from the admin connection). */
  sleepQuery: string
  killSleeper(): Promise<boolean>
  /** How many sessions are running the sleep query now. */
  sleepers(): Promise<number>
  drop(): Promise<void>
}

const dbName = () => `sqlnode_${randomBytes(5).toString('hex')}`

export async function postgresBackend(): Promise<SqlBackend> {
  const adminUrl = new URL(inject('pgAdminUrl'))
  const database = dbName()
  const server = new pg.Client({ connectionString: adminUrl.href })
  await server.connect()
  await server.query(`CREATE DATABASE ${database}`)
  const dbUrl = new URL(adminUrl.href)
  dbUrl.pathname = `/${database}`
  const client = new pg.Client({ connectionString: dbUrl.href })
  await client.connect()
  const host = adminUrl.hostname
  const port = Number(adminUrl.port || 5432)
  const data = { host, port: String(port), database, user: decodeURIComponent(adminUrl.username || 'postgres'), password: decodeURIComponent(adminUrl.password) || 'unused', ssl: 'disable' }
  const admin = async (sql: string, values?: unknown[]) => (await client.query(sql, values)).rows
  return {
    type: 'postgres',
    host,
    port,
    credential: { kind: 'postgres', data },
    // The local server trusts 127.0.0.1, so a password is never checked there: a role that does not exist is refused.
    badCredential: { kind: 'postgres', data: { ...data, user: `nobody_${randomBytes(3).toString('hex')}`, password: 'wrong' } },
    admin,
    createTable: async (name) => void (await admin(`CREATE TABLE ${name} (id serial PRIMARY KEY, email text UNIQUE, name text, n int)`)),
    tableExists: async (name) => (await admin('SELECT to_regclass($1) AS t', [name]))[0].t !== null,
    fill: async (name, count) => void (await admin(`INSERT INTO ${name} (email, n) SELECT 'e' || i, i FROM generate_series(1, $1::int) i`, [count])),
    placeholder: (n) => `$${n}`,
    sleepQuery: 'SELECT pg_sleep(5)',
    sleepers: async () =>
      (await admin(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query = 'SELECT pg_sleep(5)' AND state = 'active' AND pid <> pg_backend_pid()`, [database])).length,
    killSleeper: async () =>
      (await admin(`SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = $1 AND query = 'SELECT pg_sleep(5)' AND pid <> pg_backend_pid()`, [database])).length > 0,
    drop: async () => {
      await client.end()
      await server.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      await server.end()
    },
  }
}

export async function mysqlBackend(): Promise<SqlBackend> {
  const host = '127.0.0.1'
  const port = 3306
  const database = dbName()
  const user = `u_${randomBytes(4).toString('hex')}`
  const password = randomBytes(8).toString('hex')
  const root = await mysql.createConnection({ host, port, user: 'root' })
  await root.query(`CREATE DATABASE ${database}`)
  await root.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`)
  await root.query(`GRANT ALL ON ${database}.* TO '${user}'@'%'`)
  await root.query(`USE ${database}`)
  const admin = async (sql: string, values?: unknown[]) => {
    const [rows] = await root.query(sql, values)
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []
  }
  const data = { host, port: String(port), database, user, password, ssl: 'disable' }
  return {
    type: 'mysql',
    host,
    port,
    credential: { kind: 'mysql', data },
    badCredential: { kind: 'mysql', data: { ...data, password: 'wrong' } },
    admin,
    createTable: async (name) => void (await admin(`CREATE TABLE ${name} (id int AUTO_INCREMENT PRIMARY KEY, email varchar(100) UNIQUE, name text, n int)`)),
    tableExists: async (name) => (await admin('SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [database, name])).length > 0,
    fill: async (name, count) => {
      await admin('SET SESSION max_recursive_iterations = ?', [count])
      await admin(`INSERT INTO ${name} (email, n) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT CONCAT('e', i), i FROM s`, [count])
    },
    placeholder: () => '?',
    sleepQuery: 'SELECT SLEEP(5)',
    sleepers: async () => (await admin(`SELECT id FROM information_schema.processlist WHERE db = ? AND info = 'SELECT SLEEP(5)'`, [database])).length,
    killSleeper: async () => {
      const rows = await admin(`SELECT id FROM information_schema.processlist WHERE db = ? AND info = 'SELECT SLEEP(5)'`, [database])
      for (const r of rows) await root.query(`KILL ${Number(r.id)}`)
      return rows.length > 0
    },
    drop: async () => {
      await root.query(`DROP DATABASE IF EXISTS ${database}`)
      await root.query(`DROP USER IF EXISTS '${user}'@'%'`)
      await root.end()
    },
  }
}
