// What node types see of the file store (types only: node definitions stay browser-safe).
import type { Readable } from 'node:stream'
import type { ByteRange } from './blob-store'
import type { FileRef } from './ref'

/** Bytes to store: whole (a Buffer or a string, UTF-8) or streamed (never held whole). */
export type FileSource = Uint8Array | string | Readable | AsyncIterable<Uint8Array>

export interface FileWrite {
  name: string
  /** Unset: guessed from the name's extension (application/octet-stream when unknown). */
  mimeType?: string
  data: FileSource
  /** Below the store's own cap: a node's own limit (an unzipped entry's declared size…). */
  maxBytes?: number
  signal?: AbortSignal
}

export interface OpenFile {
  /** The reference as the store knows it (name, type and size from its own record, not from the item). */
  ref: FileRef
  stream(range?: ByteRange): Promise<Readable>
}

/** A run's view of the file store: writes belong to its tenant and execution, reads see only its tenant's files. */
export interface RunFiles {
  write(file: FileWrite): Promise<FileRef>
  /** `value` is what an item holds (a FileRef, or a file id); `field` names the parameter or item field in errors. */
  open(value: unknown, field: string): Promise<OpenFile>
  /** The whole file in memory, refused above `maxBytes` (for parsers that need it whole: XLSX, JSON). */
  readBytes(value: unknown, opts: { field: string; maxBytes: number }): Promise<{ ref: FileRef; bytes: Buffer }>
}

/** The host service (`files`): a RunFiles per run. */
export interface FileHost {
  forRun(scope: { tenantId: string; executionId: string }): RunFiles
  /** Largest file the store accepts, in bytes. */
  readonly maxFileBytes: number
}
