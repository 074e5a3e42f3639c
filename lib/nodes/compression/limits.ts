// What one archive may unpack to, and the errors a bad archive gets. Archives come from outside (uploads, mail, HTTP),
// so every limit is checked on what the archive declares before a byte is unpacked and again on what actually streams.
import { Transform, type TransformCallback } from 'node:stream'
import { NodeError } from '../../engine/types'

export const MB = 1024 * 1024

/** Files up to this size may compress as well as they like: a sparse 1 MB file is no bomb. */
export const RATIO_FLOOR = MB

export interface ArchiveLimits {
  maxEntries: number
  /** All the archive's files together, uncompressed. */
  maxTotalBytes: number
  /** One file, uncompressed: the file store's own cap, never above maxTotalBytes. */
  maxFileBytes: number
  maxRatio: number
}

/** Where an archive came from, for error messages: the item field and the item's place in the step's input. */
export interface Source {
  field: string
  item: number
  name: string
}

const where = (src: Source) => `"${src.field}" on item ${src.item} ("${src.name}")`

export function tooLarge(src: Source, why: string, details: Record<string, unknown> = {}): NodeError {
  return new NodeError(`The archive in ${where(src)} ${why}; it looks like a zip bomb or is larger than this step allows`, {
    code: 'ARCHIVE_TOO_LARGE',
    field: src.field,
    details: { item: src.item, ...details },
  })
}

export function invalidFile(src: Source, why: string, cause?: unknown): NodeError {
  return new NodeError(`${where(src)} ${why}`, { code: 'INVALID_FILE', field: src.field, details: { item: src.item }, cause })
}

export function unsafePath(src: Source, entry: string, why: string): NodeError {
  return new NodeError(`The archive in ${where(src)} holds an entry named ${JSON.stringify(entry)}, which ${why}; the archive is refused`, {
    code: 'UNSAFE_ARCHIVE_PATH',
    field: src.field,
    details: { item: src.item, entry },
  })
}

/** Step errors (a limit, the store's FILE_TOO_LARGE) and disk, network and cancellation errors are no fault of the
 * archive's bytes: they keep their own message and code. The rest (yauzl's and zlib's) mean a damaged archive. */
export function keepsOwnError(err: unknown): boolean {
  if (err instanceof NodeError) return true
  const e = err as { code?: unknown; name?: unknown }
  return e?.name === 'AbortError' || (typeof e?.code === 'string' && /^(E[A-Z]+|ABORT_ERR)$/.test(e.code))
}

/** Counts what streams through and fails past `limit` bytes, before the excess reaches the store. */
export class ByteLimit extends Transform {
  bytes = 0
  constructor(private readonly limit: number, private readonly onExceeded: (bytes: number) => Error) {
    super()
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.bytes += chunk.length
    if (this.bytes > this.limit) done(this.onExceeded(this.bytes))
    else done(null, chunk)
  }
}

/** How far a file of `compressed` bytes may inflate: `maxRatio` times, but at least RATIO_FLOOR and at most `cap`. */
export function inflateLimit(compressed: number, limits: ArchiveLimits, cap: number): number {
  return Math.min(cap, Math.max(RATIO_FLOOR, compressed * limits.maxRatio))
}
