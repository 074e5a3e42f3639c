// The executor both SQL nodes share: credential → vetted address → one connection per page of input, the operation
// per item (or once), output written in pages, and driver errors turned into NodeErrors that steer retries.
import { NodeError, type CredentialData, type Item } from '../engine/types'
import { findNodeError } from '../net/guard'
import type { Executor } from './define'
import type { SqlParams } from './sql-params'
import { deleteStatement, insertStatement, selectStatement, updateStatement, type Dialect, type Statement } from './sql-statements'
import { credentialGuard } from '../credentials/hosts'
import type { TcpGuard } from '../net/tcp-guard'

export interface ConnectTarget {
  host: string
  /** The vetted address the driver dials (never the name: see lib/net/tcp-guard.ts). */
  address: string
  port: number
  database: string
  user: string
  password: string
  ssl: 'disable' | 'require' | 'verify'
}

export interface SqlSession {
  /** `rows` is null when the statement returned no result set (then `affectedRows` tells what it did). */
  query(stmt: Statement): Promise<{ rows: Item[] | null; affectedRows: number; insertId?: number }>
  /** A SELECT's rows in pages of at most `pageSize`, read from the server as they are consumed. */
  pages(stmt: Statement, pageSize: number): AsyncIterable<Item[]>
  /** Ends the connection; never throws. */
  close(): Promise<void>
  /** Stops the statement running on the server (from a second connection); never throws. */
  cancel(): Promise<void>
}

export type FailureKind = 'unreachable' | 'auth' | 'lost' | 'sql' | 'unknown'

export interface SqlDriver {
  label: string
  dialect: Dialect
  defaultPort: number
  open(target: ConnectTarget): Promise<SqlSession>
  /** What a driver error means; `code` is the server's error code when there is one. */
  classify(err: unknown): { kind: FailureKind; code?: string }
}

function targetOf(cred: CredentialData, driver: SqlDriver): Omit<ConnectTarget, 'address'> {
  const d = cred.data
  const port = Number(d.port || driver.defaultPort)
  if (!d.host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new NodeError(`The ${driver.label} credential "${cred.id}" needs a host and a port between 1 and 65535`, { code: 'SQL_BAD_CREDENTIAL', field: 'credential' })
  }
  const ssl = d.ssl === 'require' || d.ssl === 'verify' ? d.ssl : 'disable'
  return { host: d.host, port, database: d.database ?? '', user: d.user ?? '', password: d.password ?? '', ssl }
}

function toNodeError(err: unknown, driver: SqlDriver, target: Omit<ConnectTarget, 'address'>, cred: CredentialData, connected: boolean): NodeError {
  const known = findNodeError(err)
  if (known) return known
  const { kind, code } = driver.classify(err)
  const message = err instanceof Error ? err.message : String(err)
  const where = `${driver.label} at ${target.host}:${target.port}`
  if (kind === 'auth') {
    return new NodeError(`${where} refused the login of credential "${cred.id}" (user "${target.user}"): ${message}`, { code: 'SQL_AUTH_FAILED', field: 'credential', cause: err, details: { code } })
  }
  if (kind === 'lost' || (kind === 'unreachable' && connected)) {
    return new NodeError(`The connection to ${where} was lost during the query: ${message}`, { code: 'SQL_CONNECTION_LOST', retryable: true, cause: err, details: { code } })
  }
  if (kind === 'unreachable') {
    return new NodeError(`Could not connect to ${where}: ${message}`, { code: 'SQL_CONNECTION_FAILED', retryable: true, cause: err, details: { code } })
  }
  return new NodeError(`${driver.label} error${code ? ` ${code}` : ''}: ${message}`, { code: 'SQL_ERROR', cause: err, details: { code } })
}

/** "Test connection": the credential's server, through the guard (and its allowed hosts), logged in, SELECT 1. */
export async function probeSql(cred: CredentialData, driver: SqlDriver, guard: TcpGuard): Promise<string> {
  const target = targetOf(cred, driver)
  let session: SqlSession | undefined
  try {
    const address = await credentialGuard(guard, cred).vet(target.host, target.port, 'host')
    session = await driver.open({ ...target, address })
    await session.query({ sql: 'SELECT 1', values: [] })
    return `Connected to ${target.host}:${target.port} as ${target.user || 'the default user'}`
  } catch (err) {
    throw toNodeError(err, driver, target, cred, session !== undefined)
  } finally {
    await session?.close()
  }
}

/** The statement an item's write operation runs. */
function writeStatement(driver: SqlDriver, p: SqlParams, item: Item): Statement {
  if (p.operation === 'insert') return insertStatement(driver.dialect, p, item)
  if (p.operation === 'upsert') return insertStatement(driver.dialect, p, item, true)
  if (p.operation === 'update') return updateStatement(driver.dialect, p, item)
  return deleteStatement(driver.dialect, p)
}

/** Items are JSON: dates become ISO text, binary columns base64, 64-bit integers text (as big as they come). */
function jsonRow(row: Item): Item {
  const out: Item = {}
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = Number.isNaN(v.getTime()) ? null : v.toISOString()
    else if (v instanceof Uint8Array) out[k] = Buffer.from(v).toString('base64')
    else if (typeof v === 'bigint') out[k] = v.toString()
    else out[k] = v
  }
  return out
}

function querySpec(p: SqlParams): Statement {
  if (!p.query.trim()) throw new NodeError('Write the SQL to run', { code: 'SQL_MISSING_QUERY', field: 'query' })
  return { sql: p.query, values: p.queryParams }
}

export function sqlExecutor(driver: SqlDriver): Executor<SqlParams, 'network'> {
  return async (ctx) => {
    const cred = await ctx.credential()
    if (!cred) throw new NodeError(`Choose a ${driver.label} credential`, { code: 'SQL_MISSING_CREDENTIAL', field: 'credential' })
    const target = targetOf(cred, driver)
    const once = ctx.params.operation === 'executeQuery' && ctx.params.queryBatching === 'once'
    if (once ? ctx.inputOffset > 0 : ctx.items.length === 0) return { main: [] }
    let session: SqlSession | undefined
    const out: Item[] = []
    const emit = async (rows: Item[]) => {
      out.push(...rows.map(jsonRow))
      while (out.length >= ctx.params.pageSize) await ctx.write({ main: out.splice(0, ctx.params.pageSize) })
    }
    const run = async (stmt: Statement) => {
      const r = await session!.query(stmt)
      await emit(r.rows ?? [{ affectedRows: r.affectedRows, ...(r.insertId ? { insertId: r.insertId } : {}) }])
    }
    // A canceled run or a step past its timeout stops its statement on the server too, not only here.
    const cancel = () => void session?.cancel()
    ctx.signal.addEventListener('abort', cancel, { once: true })
    try {
      const address = await credentialGuard(ctx.services.network, cred).vet(target.host, target.port, 'credential')
      session = await driver.open({ ...target, address })
      ctx.signal.throwIfAborted()
      for (let i = 0; i < (once ? 1 : ctx.items.length); i++) {
        ctx.signal.throwIfAborted()
        const p = once ? ctx.params : await ctx.paramsFor(i)
        if (p.operation === 'executeQuery') await run(querySpec(p))
        else if (p.operation === 'select') {
          for await (const page of session.pages(selectStatement(driver.dialect, p), p.pageSize)) await emit(page)
        } else await run(writeStatement(driver, p, ctx.items[i]))
      }
      return { main: out }
    } catch (err) {
      throw toNodeError(err, driver, target, cred, session !== undefined)
    } finally {
      ctx.signal.removeEventListener('abort', cancel)
      await session?.close()
    }
  }
}
