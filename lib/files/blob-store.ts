// Where file bytes live. The file service (service.ts) keeps the metadata and decides the keys; a blob store only
// moves bytes: a folder on disk (local-store.ts) or an S3-compatible bucket (s3-store.ts).
import type { Readable } from 'node:stream'

export interface ByteRange {
  start: number
  /** Inclusive, as in an HTTP Range header. */
  end?: number
}

export interface BlobStore {
  /** Where the bytes go, for logs and the health page ("local /srv/data/files", "s3 bucket/prefix"). */
  readonly description: string
  /** Streams `body` to `key`; the blob is visible under the key only once the whole body is written. */
  put(key: string, body: Readable, opts: { contentType: string; signal?: AbortSignal }): Promise<void>
  get(key: string, range?: ByteRange): Promise<Readable>
  /** Missing keys are not an error. */
  delete(keys: string[]): Promise<void>
  close(): Promise<void>
}

const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/

/** Keys are made by the service from ids; anything else (a `..`, a slash at either end) is a bug, refused here too. */
export function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`Invalid blob key "${key}"`)
}
