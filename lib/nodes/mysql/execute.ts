// MySQL / MariaDB through `mysql2`: a pooled connection per page of input (../sql-pools.ts), server-side prepared
// statements (`execute`),
// SELECTs streamed from the server and cut into pages.
import { isIP } from 'node:net'
import mysql, { type ResultSetHeader } from 'mysql2'
import type { Item } from '../../engine/types'
import { sqlExecutor, type ConnectTarget, type FailureKind, type SqlDriver, type SqlSession } from '../sql-run'
import { bindable, type Dialect } from '../sql-statements'
import { PoolCache, POOL_IDLE_MS, POOL_MAX_CONNECTIONS } from '../sql-pools'

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
const LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ER_CONNECTION_KILLED', 'ER_QUERY_INTERRUPTED', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN'])
const AUTH = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE'])

export const mysqlDialect: Dialect = {
  quoteId: (name) => mysql.escapeId(name),
  placeholder: () => '?',
  upsertTail: (columns, match) => {
    // MySQL finds the conflicting row by any unique key; matchColumns only keep the key out of the update.
    const rest = columns.filter((c) => !match.includes(c))
    const set = (rest.length ? rest : match.slice(0, 1)).map((c) => `${c} = VALUES(${c})`)
    return ` ON DUPLICATE KEY UPDATE ${set.join(', ')}`
  },
  returning: '',
}

/** mysql2 refuses undefined bind values (NULL here) and objects (sent as JSON text). */
const values = (list: unknown[]) => list.map(bindable) as (string | number | null)[]

function configOf(t: ConnectTarget) {
  const ssl = t.ssl === 'disable' ? undefined : { rejectUnauthorized: t.ssl === 'verify', ...(isIP(t.host) ? {} : { servername: t.host }) }
  return { host: t.address, port: t.port, database: t.database, user: t.user, password: t.password, ssl, connectTimeout: 15_000, dateStrings: false }
}

export const mysqlPools = new PoolCache<mysql.Pool>(
  (t) => {
    const pool = mysql.createPool({ ...configOf(t), connectionLimit: POOL_MAX_CONNECTIONS, maxIdle: POOL_MAX_CONNECTIONS, idleTimeout: POOL_IDLE_MS })
    pool.on('connection', (c) => c.on('error', () => {})) // killed while idle: the next command reports it
    return pool
  },
  (pool) => pool.promise().end(),
)

async function open(t: ConnectTarget): Promise<SqlSession> {
  const config = configOf(t)
  const conn = await new Promise<mysql.PoolConnection>((resolve, reject) => mysqlPools.get(t).getConnection((err, c) => (err ? reject(err) : resolve(c))))
  // Any error on the session: the connection is not handed to the next step.
  let broken = false
  const guard = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p
    } catch (err) {
      broken = true
      throw err
    }
  }
  return {
    async query(stmt) {
      const [result] = await guard(conn.promise().execute(stmt.sql, values(stmt.values)))
      if (Array.isArray(result)) return { rows: result as Item[], affectedRows: result.length }
      const header = result as ResultSetHeader
      return { rows: null, affectedRows: header.affectedRows, insertId: header.insertId }
    },
    async *pages(stmt, pageSize) {
      let page: Item[] = []
      // Left before the end (the consumer stopped): rows are still coming, so the connection is not reused.
      let finished = false
      try {
        for await (const row of conn.execute(stmt.sql, values(stmt.values)).stream()) {
          page.push(row as Item)
          if (page.length === pageSize) {
            yield page
            page = []
          }
        }
        finished = true
      } finally {
        if (!finished) broken = true
      }
      if (page.length) yield page
    },
    close: async () => (broken ? conn.destroy() : conn.release()),
    async cancel() {
      broken = true
      // KILL QUERY from a second session of the same user: the running statement ends, the connection stays.
      const side = mysql.createConnection({ ...config, connectTimeout: 5_000 })
      side.on('error', () => {})
      try {
        await side.promise().connect()
        await side.promise().query('KILL QUERY ?', [conn.threadId])
      } catch {
        // the connection's end (close) still follows
      } finally {
        await side.promise().end().catch(() => side.destroy())
      }
    },
  }
}

function classify(err: unknown): { kind: FailureKind; code?: string } {
  const code = (err as { code?: string })?.code
  if (code && AUTH.has(code)) return { kind: 'auth', code }
  if (code && LOST.has(code)) return { kind: 'lost', code }
  if (code && UNREACHABLE.has(code)) return { kind: 'unreachable', code }
  if ((err as { sqlMessage?: string })?.sqlMessage !== undefined) return { kind: 'sql', code }
  return { kind: 'unknown', code }
}

export const mysqlDriver: SqlDriver = { label: 'MySQL', dialect: mysqlDialect, defaultPort: 3306, open, classify }

export const execute = sqlExecutor(mysqlDriver)
