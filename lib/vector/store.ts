// The chunk store: one LanceDB table per collection (`c_<collection id>`) under the configured URI, a folder by
// default, or s3://… shared by several machines. Rows are chunks: ids, text, heading path, token count, the
// vector, the document's metadata as JSON and one nullable column per filterable metadata field (`m_<name>`,
// added by schema evolution the first time the field appears). The connection checks for other processes'
// commits on every read (readConsistencyInterval 0): a web process and a worker on the same folder each see the
// other's writes at once. Writes commit atomically; concurrent commits from other processes are retried by Lance.
import os from 'node:os'
import type * as lancedb from '@lancedb/lancedb'
import type { Schema } from 'apache-arrow'
import { VectorError } from './errors'
import { columnOf, FIELD_NAME, type Fields, type FieldType } from './filter'

// A type, not an interface: LanceDB takes rows as Record<string, unknown>, which only type aliases satisfy.
export type ChunkRow = {
  chunk_id: string
  document_id: string
  document_key: string
  chunk_index: number
  title: string
  section: string
  text: string
  tokens: number
  vector: number[]
  /** The document's whole metadata, JSON. */
  metadata: string
  /** Filterable fields, `m_<name>`: string, number, boolean or null. */
  [column: `m_${string}`]: string | number | boolean | null
}

export interface StoreOptions {
  uri: string
  s3?: { endpoint?: string; region?: string; accessKeyId?: string; secretAccessKey?: string }
}

const SQL_TYPE: Record<FieldType, string> = { string: 'STRING', number: 'DOUBLE', boolean: 'BOOLEAN' }
const ARROW_TYPE: Record<string, FieldType> = { Utf8: 'string', LargeUtf8: 'string', Float64: 'number', Bool: 'boolean' }

export const tableName = (collectionId: string) => `c_${collectionId}`

const CONFLICT_ATTEMPTS = 10
const OPEN_ATTEMPTS = 10
const alreadyExists = (err: unknown) => /already exists|duplicate/i.test((err as Error)?.message ?? '')
const isCommitConflict = (err: unknown) => /retryable commit conflict|commit conflict|preempted by concurrent transaction/i.test((err as Error)?.message ?? '')

/** Runs a write again when another process committed first in a way Lance does not retry by itself (a schema
 * change meeting another schema change or a merge), with a short jittered pause between attempts. */
export async function retryConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (err) {
      if (!isCommitConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20 * attempt))
    }
  }
}

// LanceDB (a native module) and Arrow load on the first use of a collection, not when a process starts: a worker
// that never touches retrieval does not pay their start-up time and memory.
let lanceModule: Promise<typeof lancedb> | undefined
export const loadLance = () => (lanceModule ??= (ensureComputeThreads(), import('@lancedb/lancedb')))

/** On a host of 2 cores LanceDB keeps one compute thread (it reserves cores for I/O), and on one thread its
 * full-text index builder deadlocks once a merge yields more than one batch (lancedb/lancedb#3568): `optimize`
 * never returns, nor does the ingest that called it (seen at ~55k chunks on a 2-core VM, every thread idle).
 * LanceDB reads the setting once, at its first use; a LANCE_CPU_THREADS set by the operator is kept. */
function ensureComputeThreads(): void {
  if (process.env.LANCE_CPU_THREADS === undefined && os.availableParallelism() <= 3) process.env.LANCE_CPU_THREADS = '2'
}

async function baseSchema(dimension: number): Promise<Schema> {
  const { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } = await import('apache-arrow')
  const text = (name: string) => new Field(name, new Utf8(), false)
  return new Schema([
    text('chunk_id'),
    text('document_id'),
    text('document_key'),
    new Field('chunk_index', new Int32(), false),
    text('title'),
    text('section'),
    text('text'),
    new Field('tokens', new Int32(), false),
    new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), false),
    text('metadata'),
  ])
}

/** LanceDB's object-store options from the S3 settings (lib/env `vectors.s3`); none for a local folder. */
export function storageOptions(opts: StoreOptions): Record<string, string> | undefined {
  if (!/^s3a?:\/\//i.test(opts.uri) || !opts.s3) return undefined
  const { endpoint, region, accessKeyId, secretAccessKey } = opts.s3
  const out: Record<string, string> = {}
  if (endpoint) out.endpoint = endpoint
  if (endpoint?.startsWith('http://')) out.allow_http = 'true'
  if (region) out.region = region
  if (accessKeyId) out.aws_access_key_id = accessKeyId
  if (secretAccessKey) out.aws_secret_access_key = secretAccessKey
  return out
}

/** Fields (name → type) as the table's columns say: the source of truth for what a collection can filter on. */
export function fieldsOf(schema: Schema): Fields {
  const fields: Fields = {}
  for (const f of schema.fields) {
    const type = ARROW_TYPE[String(f.type)]
    if (f.name.startsWith('m_') && type) fields[f.name.slice(2)] = type
  }
  return fields
}

export class ChunkStore {
  private conn?: Promise<lancedb.Connection>
  private readonly tables = new Map<string, Promise<lancedb.Table | null>>()

  constructor(private readonly opts: StoreOptions) {}

  private connection(): Promise<lancedb.Connection> {
    this.conn ??= loadLance().then((lance) => lance.connect(this.opts.uri, { readConsistencyInterval: 0, storageOptions: storageOptions(this.opts) })).catch((err: unknown) => {
      this.conn = undefined
      throw new VectorError('VECTOR_STORE_UNAVAILABLE', `The vector store at ${this.opts.uri} cannot be opened: ${(err as Error).message}`, { cause: err })
    })
    return this.conn
  }

  /** The collection's table, created (with its full-text index) when `dimension` is given and it does not exist. */
  async table(collectionId: string, dimension?: number): Promise<lancedb.Table | null> {
    const cached = this.tables.get(collectionId)
    if (cached) return cached
    const opening = this.open(await this.connection(), tableName(collectionId), dimension)
    this.tables.set(collectionId, opening)
    const table = await opening.catch((err: unknown) => {
      this.tables.delete(collectionId)
      throw err
    })
    if (!table) this.tables.delete(collectionId)
    return table
  }

  /** Another process may be creating the table right now (its folder is there, its first version not yet): such a
   * table reads as "not found" for a moment, so opening is retried briefly. */
  private async open(conn: lancedb.Connection, name: string, dimension?: number): Promise<lancedb.Table | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (dimension) return await this.create(conn, name, dimension)
        if ((await conn.tableNames()).includes(name)) return await conn.openTable(name)
        // Some S3-compatible stores list a table's folder late or not at all: ask for the table itself before
        // calling it absent.
        return await conn.openTable(name).catch((err: unknown) => {
          if (/not found|does not exist/i.test((err as Error).message)) return null
          throw err
        })
      } catch (err) {
        if (!/not found/i.test((err as Error).message) || attempt >= OPEN_ATTEMPTS) throw err
        await new Promise((r) => setTimeout(r, 20 * attempt))
      }
    }
  }

  /** Creates the table, or opens it when it exists (`existOk`), with the full-text index on the chunk text. */
  private async create(conn: lancedb.Connection, name: string, dimension: number): Promise<lancedb.Table> {
    const table = await conn.createEmptyTable(name, await baseSchema(dimension), { mode: 'create', existOk: true })
    // BM25 over the chunk text (English stemming, stop words removed). Rows written after an index build are
    // searched too: LanceDB scans what its indexes do not cover yet, and `optimize` folds them in.
    if (!(await table.listIndices()).some((i) => i.columns.includes('text'))) {
      const { Index } = await loadLance()
      await retryConflicts(() => table.createIndex('text', { config: Index.fts(), replace: false })).catch((err: unknown) => {
        if (!alreadyExists(err)) throw err // another process created the table and its index meanwhile
      })
    }
    return table
  }

  /** Adds a nullable column for each new filterable field; an existing column of another type is an error. */
  async ensureFields(table: lancedb.Table, wanted: Fields): Promise<Fields> {
    let have = fieldsOf(await table.schema())
    const missing = Object.entries(wanted).filter(([name]) => !Object.hasOwn(have, name) && FIELD_NAME.test(name))
    if (missing.length) {
      try {
        await retryConflicts(() => table.addColumns(missing.map(([name, type]) => ({ name: columnOf(name), valueSql: `CAST(NULL AS ${SQL_TYPE[type]})` }))))
      } catch (err) {
        // Another process may have added the same column meanwhile: what counts is the schema now.
        if (!alreadyExists(err)) throw err
      }
      have = fieldsOf(await table.schema())
    }
    for (const [name, type] of Object.entries(wanted)) {
      if (have[name] !== type) throw new VectorError('VECTOR_FIELD_TYPE', `metadata.${name}: the collection holds ${have[name]} values for this field, not ${type}`, { field: `metadata.${name}` })
    }
    return have
  }

  /** Replaces every chunk of `documentIds` with `rows` in one commit (documents with no new rows lose theirs). */
  async replaceDocuments(table: lancedb.Table, documentIds: string[], rows: ChunkRow[]): Promise<void> {
    if (!documentIds.length) return
    const where = `document_id IN (${documentIds.map(quote).join(', ')})`
    if (!rows.length) {
      await retryConflicts(() => table.delete(where))
      return
    }
    await retryConflicts(() => table.mergeInsert('chunk_id').whenMatchedUpdateAll().whenNotMatchedInsertAll().whenNotMatchedBySourceDelete({ where }).execute(rows))
  }

  async drop(collectionId: string): Promise<void> {
    const conn = await this.connection()
    const name = tableName(collectionId)
    this.tables.get(collectionId)?.then((t) => t?.close()).catch(() => undefined)
    this.tables.delete(collectionId)
    if ((await conn.tableNames()).includes(name)) await conn.dropTable(name)
  }

  close(): void {
    for (const t of this.tables.values()) t.then((table) => table?.close()).catch(() => undefined)
    this.tables.clear()
    this.conn?.then((c) => c.close()).catch(() => undefined)
    this.conn = undefined
  }
}

export const quote = (s: string) => `'${s.replaceAll("'", "''")}'`
