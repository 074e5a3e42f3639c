// The file store: bytes in a blob store (a folder or an S3 bucket), metadata in a FileIndex (PostgreSQL). Items carry
// only a FileRef; every read goes through the index with the reader's tenant, so a reference copied from another
// workspace reads nothing. Files live as long as their execution; the sweep removes the rest.
import { createHash, randomBytes } from 'node:crypto'
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream'
import { lookup as mimeLookup } from 'mime-types'
import { NodeError } from '../engine/types'
import type { BlobStore, ByteRange } from './blob-store'
import type { FileIndex, FileRecord } from './index-store'
import { isFileId, isFileRef, type FileRef } from './ref'
import type { FileHost, FileSource, FileWrite, OpenFile, RunFiles } from './types'

export interface FileServiceOptions {
  blobs: BlobStore
  index: FileIndex
  /** Largest file accepted, in bytes. */
  maxFileBytes: number
  /** How long a file without an execution (an upload waiting for its run, a tested step's output) is kept. */
  unattachedTtlMs?: number
}

export interface WriteScope {
  tenantId: string
  /** Null: not part of a run (yet); kept for `unattachedTtlMs` unless attached. */
  executionId: string | null
}

const DEFAULT_TTL = 60 * 60 * 1000

export function newFileId(): string {
  return `f_${randomBytes(18).toString('base64url')}`
}

export function guessMimeType(name: string): string {
  return mimeLookup(name) || 'application/octet-stream'
}

/** A file name safe to store and to offer as a download: no path, no control characters, not empty. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255)
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned
}

function toReadable(data: FileSource): Readable {
  if (typeof data === 'string') return Readable.from([Buffer.from(data, 'utf8')])
  if (data instanceof Uint8Array) return Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)])
  if (data instanceof Readable) return data
  return Readable.from(data)
}

/** Counts and hashes what passes; fails the stream past `max` bytes, so a too-big file never lands whole. */
class Measure extends Transform {
  // Not `size`: lib-storage takes a body's `size` property for its length and plans the multipart upload by it.
  bytes = 0
  private readonly hash = createHash('sha256')
  constructor(private readonly max: number, private readonly name: string) {
    super()
  }
  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    this.bytes += buf.length
    if (this.bytes > this.max) {
      done(new NodeError(`File "${this.name}" is larger than the ${this.max} bytes allowed`, { code: 'FILE_TOO_LARGE', details: { maxBytes: this.max } }))
      return
    }
    this.hash.update(buf)
    done(null, buf)
  }
  digest(): string {
    return this.hash.digest('hex')
  }
}

export class FileService implements FileHost {
  readonly maxFileBytes: number
  private readonly ttl: number
  constructor(private readonly opts: FileServiceOptions) {
    this.maxFileBytes = opts.maxFileBytes
    this.ttl = opts.unattachedTtlMs ?? DEFAULT_TTL
  }

  get blobs(): BlobStore {
    return this.opts.blobs
  }

  forRun(scope: { tenantId: string; executionId: string }): RunFiles {
    return this.scoped({ tenantId: scope.tenantId, executionId: scope.executionId })
  }

  /** For hosts whose runs are not executions (a tested step): files kept for the unattached TTL only. */
  scoped(scope: WriteScope): RunFiles {
    return {
      write: (file) => this.write(scope, file),
      open: (value, field) => this.open(scope.tenantId, value, field),
      readBytes: (value, o) => this.readBytes(scope.tenantId, value, o),
    }
  }

  async write(scope: WriteScope, file: FileWrite): Promise<FileRef> {
    const name = cleanFileName(file.name)
    const mimeType = (file.mimeType?.trim() || guessMimeType(name)).slice(0, 255)
    const id = newFileId()
    const storageKey = `${scope.tenantId}/${id}`
    const max = Math.min(this.maxFileBytes, file.maxBytes ?? Infinity)
    const measure = new Measure(max, name)
    const source = toReadable(file.data)
    pipeline(source, measure, (err) => err && measure.destroy(err))
    try {
      await this.opts.blobs.put(storageKey, measure, { contentType: mimeType, signal: file.signal })
    } catch (err) {
      source.destroy()
      throw err
    }
    const record: FileRecord = {
      id,
      tenantId: scope.tenantId,
      executionId: scope.executionId,
      name,
      mimeType,
      size: measure.bytes,
      sha256: measure.digest(),
      storageKey,
      createdAt: new Date(),
      expiresAt: scope.executionId === null ? new Date(Date.now() + this.ttl) : null,
    }
    try {
      await this.opts.index.insert(record)
    } catch (err) {
      await this.opts.blobs.delete([storageKey]).catch(() => undefined)
      throw err
    }
    return toRef(record)
  }

  /** The tenant's file, or undefined (another tenant's file and a deleted one look the same). */
  async get(tenantId: string, id: string): Promise<FileRecord | undefined> {
    return isFileId(id) ? this.opts.index.get(tenantId, id) : undefined
  }

  async stream(record: FileRecord, range?: ByteRange): Promise<Readable> {
    return this.opts.blobs.get(record.storageKey, range)
  }

  async open(tenantId: string, value: unknown, field: string): Promise<OpenFile> {
    const id = isFileRef(value) ? value.$file : value
    if (!isFileId(id)) {
      throw new NodeError(`"${field}" does not hold a file (expected a file reference such as the output of a node that makes files)`, { code: 'NOT_A_FILE', field })
    }
    const record = await this.opts.index.get(tenantId, id)
    if (!record) throw new NodeError(`"${field}" refers to file ${id}, which does not exist in this workspace (or was deleted)`, { code: 'FILE_NOT_FOUND', field })
    return { ref: toRef(record), stream: (range) => this.opts.blobs.get(record.storageKey, range) }
  }

  async readBytes(tenantId: string, value: unknown, opts: { field: string; maxBytes: number }): Promise<{ ref: FileRef; bytes: Buffer }> {
    const file = await this.open(tenantId, value, opts.field)
    if (file.ref.size > opts.maxBytes) {
      throw new NodeError(`File "${file.ref.name}" in "${opts.field}" is ${file.ref.size} bytes; this step reads at most ${opts.maxBytes} bytes at once`, {
        code: 'FILE_TOO_LARGE',
        field: opts.field,
      })
    }
    const chunks: Buffer[] = []
    for await (const chunk of await file.stream()) chunks.push(chunk as Buffer)
    return { ref: file.ref, bytes: Buffer.concat(chunks) }
  }

  attach(tenantId: string, ids: string[], executionId: string): Promise<void> {
    return ids.length === 0 ? Promise.resolve() : this.opts.index.attach(tenantId, ids, executionId)
  }

  /** Deletes the files of these executions (bytes first: a failure leaves the rows for the next try). */
  async deleteForExecutions(tenantId: string, executionIds: string[]): Promise<number> {
    if (executionIds.length === 0) return 0
    const rows = await this.opts.index.ofExecutions(tenantId, executionIds)
    await this.removeRows(rows)
    return rows.length
  }

  /** Deletes these files of the tenant at once (a request's uploads whose run never started); others' ids are ignored. */
  async remove(tenantId: string, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0
    const rows = await this.opts.index.byIds(tenantId, ids)
    await this.removeRows(rows)
    return rows.length
  }

  /** Removes files no execution holds any more; returns how many. */
  async sweep(now = new Date(), batch = 500): Promise<number> {
    let total = 0
    for (;;) {
      const rows = await this.opts.index.removable(batch, now)
      if (rows.length === 0) return total
      await this.removeRows(rows)
      total += rows.length
      if (rows.length < batch) return total
    }
  }

  private async removeRows(rows: Pick<FileRecord, 'id' | 'storageKey'>[]): Promise<void> {
    if (rows.length === 0) return
    await this.opts.blobs.delete(rows.map((r) => r.storageKey))
    await this.opts.index.remove(rows.map((r) => r.id))
  }

  close(): Promise<void> {
    return this.opts.blobs.close()
  }
}

function toRef(r: FileRecord): FileRef {
  return { $file: r.id, name: r.name, mimeType: r.mimeType, size: r.size, sha256: r.sha256 }
}
