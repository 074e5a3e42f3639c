// PostgreSQL through `pg`: a pooled client per page of input (../sql-pools.ts); SELECTs read through a server-side
// cursor in pages.
import pg from 'pg'
import type { Item } from '../../engine/types'
import { sqlExecutor, type ConnectTarget, type FailureKind, type SqlDriver, type SqlSession } from '../sql-run'
import type { Dialect } from '../sql-statements'
import { isIP } from 'node:net'
import { PoolCache, POOL_IDLE_MS, POOL_MAX_CONNECTIONS } from '../sql-pools'

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'])

export const pgDialect: Dialect = {
  quoteId: (name) => pg.escapeIdentifier(name),
  placeholder: (n) => `$${n}`,
  upsertTail: (columns, match) => {
    const rest = columns.filter((c) => !match.includes(c))
    const action = rest.length ? `DO UPDATE SET ${rest.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}` : 'DO NOTHING'
    return ` ON CONFLICT (${match.join(', ')}) ${action}`
  },
  returning: ' RETURNING *',
}

function sslOptions(t: ConnectTarget): pg.ClientConfig['ssl'] {
  if (t.ssl === 'disable') return false
  // The driver dials an address: the certificate is checked against the name the user gave.
  return { rejectUnauthorized: t.ssl === 'verify', ...(isIP(t.host) ? {} : { servername: t.host }) }
}

const configOf = (t: ConnectTarget) => ({ host: t.address, port: t.port, database: t.database, user: t.user, password: t.password, ssl: sslOptions(t), connectionTimeoutMillis: 15_000 })

export const pgPools = new PoolCache<pg.Pool>(
  (t) => {
    const pool = new pg.Pool({ ...configOf(t), max: POOL_MAX_CONNECTIONS, idleTimeoutMillis: POOL_IDLE_MS, allowExitOnIdle: true })
    // A pooled connection killed while idle emits 'error' on the pool; it is dropped from the pool.
    pool.on('error', () => {})
    return pool
  },
  (pool) => pool.end(),
)

async function open(t: ConnectTarget): Promise<SqlSession> {
  const config = configOf(t)
  const client = await pgPools.get(t).connect()
  // Any error on the session: the connection is not handed to the next step (it may be mid-transaction or gone).
  let broken = false
  let cursors = 0
  return {
    async query(stmt) {
      try {
        const r = await client.query({ text: stmt.sql, values: stmt.values })
        return { rows: r.fields.length ? (r.rows as Item[]) : null, affectedRows: r.rowCount ?? 0 }
      } catch (err) {
        broken = true
        throw err
      }
    },
    async *pages(stmt, pageSize) {
      const name = `auterity_cursor_${++cursors}`
      // Left before the end (the consumer stopped): the transaction is still open, so the connection is not reused.
      let finished = false
      await client.query('BEGIN READ ONLY')
      try {
        await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${stmt.sql}`, values: stmt.values })
        for (;;) {
          const { rows } = await client.query(`FETCH ${pageSize} FROM ${name}`)
          if (rows.length) yield rows as Item[]
          if (rows.length < pageSize) break
        }
        await client.query('COMMIT')
        finished = true
      } catch (err) {
        broken = true
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        if (!finished) broken = true
      }
    },
    close: async () => client.release(broken),
    async cancel() {
      broken = true
      // pg_cancel_backend from a second session of the same user: the running statement ends with 57014.
      const side = new pg.Client({ ...config, connectionTimeoutMillis: 5_000 })
      side.on('error', () => {})
      try {
        await side.connect()
        await side.query('SELECT pg_cancel_backend($1)', [(client as unknown as { processID: number }).processID])
      } catch {
        // the connection's end (close) still follows
      } finally {
        await side.end().catch(() => {})
      }
    },
  }
}

function classify(err: unknown): { kind: FailureKind; code?: string } {
  const code = (err as { code?: string })?.code
  if (code === '28P01' || code === '28000') return { kind: 'auth', code }
  if (code === '57P01' || code === '57P02' || code === '57P03' || /Connection terminated/i.test(String((err as Error)?.message))) return { kind: 'lost', code }
  if (code && UNREACHABLE.has(code)) return { kind: 'unreachable', code }
  if (code && /^[0-9A-Z]{5}$/.test(code)) return { kind: 'sql', code }
  return { kind: 'unknown', code }
}

export const postgresDriver: SqlDriver = { label: 'PostgreSQL', dialect: pgDialect, defaultPort: 5432, open, classify }

export const execute = sqlExecutor(postgresDriver)
