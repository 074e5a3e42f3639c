// The PostgreSQL and MySQL nodes against the real servers (PostgreSQL 15, MariaDB): every operation, injection
// attempts in values and identifiers, a 10,000-row select written in pages, refused, rejected and killed
// connections, and the outbound policy refusing a private host before any connection is made.
import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import type { Item } from '@/lib/engine/types'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { createSandbox } from '@/lib/sandbox/isolate'
import { numbered, runFlow } from '../../unit/nodes/flow'
import { mysqlBackend, postgresBackend, type SqlBackend } from './sql-backends'
import { pgPools } from '@/lib/nodes/postgres/execute'
import { mysqlPools } from '@/lib/nodes/mysql/execute'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(async () => {
  sandbox.dispose()
  await Promise.all([pgPools.clear(), mysqlPools.clear()])
})

/** Records the size of every page a step writes. */
class RecordingStore extends MemoryItemStore {
  readonly appended: number[] = []
  override async append(nodeId: string, port: string, items: Item[]) {
    if (nodeId === 'sql') this.appended.push(items.length)
    return super.append(nodeId, port, items)
  }
}

describe.each([
  ['postgres', postgresBackend],
  ['mysql', mysqlBackend],
] as const)('%s node', (type, makeBackend) => {
  let db: SqlBackend
  let table = ''
  let tableNo = 0
  beforeAll(async () => {
    db = await makeBackend()
  })
  afterAll(async () => {
    await db?.drop()
  })

  const run = async (
    params: Record<string, unknown>,
    input: Item[] | AsyncIterable<Item[]> = [{}],
    opts: { credential?: SqlBackend['credential']; allow?: string[]; store?: RecordingStore; pageSize?: number; signal?: AbortSignal } = {},
  ) => {
    const flow = await runFlow([{ id: 'sql', type, params: { credential: 'cred', ...params } }], input, {
      credentials: { cred: opts.credential ?? db.credential },
      services: { network: createTcpGuard({ allowList: opts.allow ?? [`${db.host}:${db.port}`] }) },
      sandbox,
      store: opts.store,
      pageSize: opts.pageSize,
      signal: opts.signal,
    })
    return { flow, status: flow.result.status, error: flow.result.steps.sql?.error, rows: await flow.output('sql') }
  }
  const ok = async (params: Record<string, unknown>, input?: Item[]) => {
    const r = await run(params, input)
    expect(r.error).toBeUndefined()
    return r.rows
  }
  const newTable = async () => {
    table = `t_${++tableNo}`
    await db.createTable(table)
    return table
  }
  const contents = async () => (await db.admin(`SELECT email, name, n FROM ${table} ORDER BY email`)) as Item[]

  it('inserts, selects, updates, upserts and deletes rows from items', async () => {
    await newTable()
    const inserted = await ok({ operation: 'insert', table }, [
      { email: 'a@x.io', name: 'Ann', n: 1 },
      { email: 'b@x.io', name: 'Bob', n: 2 },
      { email: 'c@x.io', name: 'Cy', n: 3 },
    ])
    if (type === 'postgres') expect(inserted.map((r) => r.email)).toEqual(['a@x.io', 'b@x.io', 'c@x.io'])
    else expect(inserted.map((r) => r.affectedRows)).toEqual([1, 1, 1])

    const selected = await ok({ operation: 'select', table, columns: ['email', 'n'], where: [{ column: 'n', operator: '>=', value: 2 }], sort: [{ column: 'n', direction: 'desc' }] })
    expect(selected).toEqual([{ email: 'c@x.io', n: 3 }, { email: 'b@x.io', n: 2 }])
    expect(await ok({ operation: 'select', table, columns: ['email'], sort: [{ column: 'n', direction: 'asc' }], limit: 1 })).toEqual([{ email: 'a@x.io' }])

    // Listed columns only: the item's extra field is not written.
    await ok({ operation: 'update', table, matchColumns: ['email'], columnMode: 'list', columns: ['email', 'name'] }, [{ email: 'b@x.io', name: 'Bobby', n: 99 }])
    await ok({ operation: 'upsert', table, matchColumns: ['email'] }, [
      { email: 'c@x.io', name: 'Cyrus', n: 30 },
      { email: 'd@x.io', name: 'Dee', n: 4 },
    ])
    expect(await contents()).toEqual([
      { email: 'a@x.io', name: 'Ann', n: 1 },
      { email: 'b@x.io', name: 'Bobby', n: 2 },
      { email: 'c@x.io', name: 'Cyrus', n: 30 },
      { email: 'd@x.io', name: 'Dee', n: 4 },
    ])

    const deleted = await ok({ operation: 'delete', table, where: [{ column: 'n', operator: '>', value: 3 }] })
    if (type === 'postgres') expect(deleted.map((r) => r.email).sort()).toEqual(['c@x.io', 'd@x.io'])
    else expect(deleted).toEqual([{ affectedRows: 2 }])
    expect((await contents()).map((r) => r.email)).toEqual(['a@x.io', 'b@x.io'])
  })

  it('runs a query per item with parameters bound from the item, or once for all items', async () => {
    await newTable()
    await db.fill(table, 5)
    const sql = `SELECT email FROM ${table} WHERE n = ${db.placeholder(1)} OR email = ${db.placeholder(2)}`
    const perItem = await ok({ operation: 'executeQuery', query: sql, queryParams: ['{{ $json.n }}', '{{ $json.email }}'] }, [
      { n: 1, email: 'none' },
      { n: 0, email: 'e4' },
    ])
    expect(perItem).toEqual([{ email: 'e1' }, { email: 'e4' }])
    const once = await ok({ operation: 'executeQuery', queryBatching: 'once', query: `SELECT COUNT(*) AS c FROM ${table}` }, [{}, {}, {}])
    expect(once.map((r) => Number(r.c))).toEqual([5])
    const updated = await ok({ operation: 'executeQuery', query: `UPDATE ${table} SET name = 'x' WHERE n < ${db.placeholder(1)}`, queryParams: [3] })
    expect(updated).toEqual([{ affectedRows: 2 }])
  })

  it('stores an injection attempt as a plain value', async () => {
    await newTable()
    const evil = `'; DROP TABLE ${table}; --`
    await ok({ operation: 'insert', table }, [{ email: evil, name: `"); DROP TABLE ${table}; --`, n: 1 }])
    expect(await ok({ operation: 'select', table, columns: ['email'], where: [{ column: 'email', operator: '=', value: evil }] })).toEqual([{ email: evil }])
    await ok({ operation: 'executeQuery', query: `SELECT * FROM ${table} WHERE name = ${db.placeholder(1)}`, queryParams: [evil] })
    expect(await db.tableExists(table)).toBe(true)
  })

  it.each([
    [{ operation: 'select', table: 'x; DROP TABLE {t}' }, 'table'],
    [{ operation: 'select', table: '{t}', columns: ['"a"--'] }, 'columns'],
    [{ operation: 'delete', table: '{t}', where: [{ column: 'n = 1 OR 1=1 --', operator: '=', value: 1 }] }, 'where'],
    [{ operation: 'select', table: '{t}', sort: [{ column: 'n; DROP TABLE {t}', direction: 'asc' }] }, 'sort'],
    [{ operation: 'update', table: '{t}', matchColumns: ['email`--'] }, 'matchColumns'],
  ])('refuses the identifier in %j before sending anything', async (params, field) => {
    await newTable()
    await db.fill(table, 2)
    const swap = (v: unknown): unknown => (typeof v === 'string' ? v.replaceAll('{t}', table) : Array.isArray(v) ? v.map(swap) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)])) : v)
    const r = await run(swap(params) as Record<string, unknown>, [{ email: 'e1', name: 'z' }])
    expect(r.status).toBe('failed')
    expect(r.error).toMatchObject({ code: 'SQL_INVALID_IDENTIFIER', field })
    expect(r.error?.message).toMatch(/^Invalid identifier/)
    expect(await db.tableExists(table)).toBe(true)
    expect((await contents()).length).toBe(2)
  })

  it('refuses a column from an item field that is not an identifier', async () => {
    await newTable()
    const r = await run({ operation: 'insert', table }, [{ email: 'a', 'n) VALUES (1); DROP TABLE x; --': 1 }])
    expect(r.error).toMatchObject({ code: 'SQL_INVALID_IDENTIFIER', field: 'item field' })
  })

  it('takes a large input page by page: one connection per page, a once-query on the first page only', async () => {
    await newTable()
    const input = () => numbered(2_500, 1000, (i) => ({ email: `m${i}`, n: i }))
    const { flow, error } = await run({ operation: 'insert', table }, input(), { pageSize: 1000 })
    expect(error).toBeUndefined()
    expect(flow.calls(type)).toBe(3)
    expect(flow.largestPage(type)).toBe(1000)
    expect(Number((await db.admin(`SELECT COUNT(*) AS c FROM ${table}`))[0].c)).toBe(2_500)

    const once = await run({ operation: 'executeQuery', queryBatching: 'once', query: `SELECT MAX(n) AS top FROM ${table}` }, input(), { pageSize: 1000 })
    expect(once.rows.map((r) => Number(r.top))).toEqual([2_499])
  })

  it('writes a 10,000-row select in pages of at most 1,000', async () => {
    await newTable()
    await db.fill(table, 10_000)
    const store = new RecordingStore()
    const r = await run({ operation: 'select', table, columns: ['n'], sort: [{ column: 'n', direction: 'asc' }] }, [{}], { store })
    expect(r.error).toBeUndefined()
    expect(r.rows.length).toBe(10_000)
    expect(r.rows.map((x) => x.n).slice(9_998)).toEqual([9_999, 10_000])
    expect(store.appended.length).toBeGreaterThanOrEqual(10)
    expect(Math.max(...store.appended)).toBeLessThanOrEqual(1000)
    expect(store.appended.reduce((a, b) => a + b, 0)).toBe(10_000)
  })

  it('reports an SQL error with the server code, not retryable', async () => {
    const r = await run({ operation: 'select', table: 'no_such_table' })
    expect(r.error).toMatchObject({ code: 'SQL_ERROR', retryable: false })
    expect(r.error?.message).toMatch(/no_such_table/)
  })

  it('binds an object or array parameter as JSON text and a missing one as NULL', async () => {
    const cast = (n: number) => (type === 'postgres' ? `${db.placeholder(n)}::text` : db.placeholder(n))
    const r = await ok({ operation: 'executeQuery', query: `SELECT ${cast(1)} AS o, ${cast(2)} AS missing`, queryParams: ['{{ $json.o }}', '{{ $json.nothing }}'] }, [{ o: { a: [1, 'x'] } }])
    expect(r).toHaveLength(1)
    expect(JSON.parse(String(r[0].o))).toEqual({ a: [1, 'x'] })
    expect(r[0].missing).toBeNull()
  })

  it('outputs dates as ISO text and binary as base64', async () => {
    const r = await ok({ operation: 'executeQuery', query: type === 'postgres' ? "SELECT TIMESTAMPTZ '2026-01-02 03:04:05Z' AS at, '\\x0102'::bytea AS bin" : "SELECT CAST('2026-01-02 03:04:05' AS DATETIME) AS at, X'0102' AS bin" })
    expect(r).toHaveLength(1)
    expect(r[0].at).toMatch(/^2026-01-0[12]T\d\d:04:05\.000Z$/)
    expect(r[0].bin).toBe('AQI=')
  })

  it.each([
    [{ operation: 'executeQuery', query: ' ' }, 'SQL_MISSING_QUERY', 'query'],
    [{ operation: 'select', table: '' }, 'SQL_MISSING_TABLE', 'table'],
    [{ operation: 'upsert', table: 'x' }, 'SQL_MISSING_MATCH_COLUMNS', 'matchColumns'],
    [{ operation: 'update', table: 'x', matchColumns: ['id'] }, 'SQL_MISSING_MATCH_VALUE', 'matchColumns'],
  ])('refuses %j naming the field', async (params, code, field) => {
    const r = await run(params, [{ email: 'a' }])
    expect(r.error).toMatchObject({ code, field, retryable: false })
  })

  it('asks for a credential (the engine checks it before the node runs)', async () => {
    const flow = await runFlow([{ id: 'sql', type, params: { operation: 'select', table: 'x' } }], [{}], { services: { network: createTcpGuard() } })
    expect(flow.result.steps.sql.error).toMatchObject({ code: 'CREDENTIAL_MISSING', field: 'credential' })
  })

  it('reports a host that does not resolve (the outbound guard resolves it first), naming host:port and the credential', async () => {
    const r = await run({ operation: 'select', table: 'x' }, [{}], { credential: { kind: db.credential.kind, data: { ...db.credential.data, host: 'no-such-host.invalid' } } })
    expect(r.error).toMatchObject({ code: 'HOST_NOT_FOUND', field: 'credential', retryable: false })
    expect(r.error?.message).toContain(`no-such-host.invalid:${db.port}`)
  })

  it('reports a refused connection as retryable, naming host:port', async () => {
    const closed = await closedPort()
    const r = await run({ operation: 'select', table: 'x' }, [{}], { credential: { kind: db.credential.kind, data: { ...db.credential.data, port: String(closed) } }, allow: ['127.0.0.1'] })
    expect(r.error).toMatchObject({ code: 'SQL_CONNECTION_FAILED', retryable: true })
    expect(r.error?.message).toContain(`127.0.0.1:${closed}`)
  })

  it('reports a rejected login as not retryable, naming the credential', async () => {
    const r = await run({ operation: 'select', table: 'x' }, [{}], { credential: db.badCredential })
    expect(r.error).toMatchObject({ code: 'SQL_AUTH_FAILED', retryable: false, field: 'credential' })
    expect(r.error?.message).toContain('credential "cred"')
  })

  it('reports a connection killed mid-query as retryable, and the next run works', async () => {
    const running = run({ operation: 'executeQuery', query: db.sleepQuery })
    let killed = false
    for (let i = 0; i < 100 && !killed; i++) {
      killed = await db.killSleeper()
      if (!killed) await new Promise((r) => setTimeout(r, 50))
    }
    expect(killed).toBe(true)
    const r = await running
    expect(r.error).toMatchObject({ code: 'SQL_CONNECTION_LOST', retryable: true })
    expect(r.error?.message).toContain(`${db.host}:${db.port}`)
    expect((await ok({ operation: 'executeQuery', query: 'SELECT 1 AS one' })).map((x) => Number(x.one))).toEqual([1])
  })

  it('reuses a warm connection from step to step, and never one that failed', async () => {
    const pidQuery = type === 'postgres' ? 'SELECT pg_backend_pid() AS pid' : 'SELECT CONNECTION_ID() AS pid'
    const pid = async () => Number((await ok({ operation: 'executeQuery', query: pidQuery }))[0].pid)
    const first = await pid()
    expect(await pid()).toBe(first)
    expect((await run({ operation: 'executeQuery', query: 'SELECT * FROM no_such_table' })).error).toMatchObject({ code: 'SQL_ERROR' })
    // The failed step had the one warm connection; it was dropped, not handed on (it could be mid-transaction).
    const after = await pid()
    expect(after).not.toBe(first)
    expect(await pid()).toBe(after)
  })

  it('stops the statement on the server when the run is canceled', async () => {
    const abort = new AbortController()
    const running = run({ operation: 'executeQuery', query: db.sleepQuery }, [{}], { signal: abort.signal })
    let seen = 0
    for (let i = 0; i < 100 && seen === 0; i++) {
      seen = await db.sleepers()
      if (!seen) await new Promise((r) => setTimeout(r, 50))
    }
    expect(seen).toBe(1)
    const at = Date.now()
    abort.abort(new Error('Execution canceled'))
    const r = await running
    expect(r.status).not.toBe('succeeded')
    // Gone from the server well before its five seconds were up.
    for (let i = 0; i < 40 && (await db.sleepers()) > 0; i++) await new Promise((res) => setTimeout(res, 50))
    expect(await db.sleepers()).toBe(0)
    expect(Date.now() - at).toBeLessThan(4000)
  })

  it('refuses a private host that is not allow-listed before connecting', async () => {
    let connections = 0
    const server = createServer((s) => {
      connections++
      s.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    try {
      const r = await run({ operation: 'select', table: 'x' }, [{}], { credential: { kind: db.credential.kind, data: { ...db.credential.data, port: String(port) } }, allow: [] })
      expect(r.error).toMatchObject({ code: 'SSRF_BLOCKED', retryable: false, field: 'credential' })
      expect(connections).toBe(0)
    } finally {
      await close(server)
    }
  })
})

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await close(server)
  return port
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()))
