// A file store for tests that run nodes without a database: metadata in a Map, bytes in a temporary folder
// (the same LocalBlobStore the processes use by default).
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { MemoryFileIndex } from '@/lib/files/index-store'
import { LocalBlobStore } from '@/lib/files/local-store'
import { FileService } from '@/lib/files/service'

export function memoryFiles(opts: { maxFileBytes?: number; root?: string } = {}): FileService & { index: MemoryFileIndex; root: string } {
  const root = opts.root ?? path.join(os.tmpdir(), `auterity-files-${randomBytes(6).toString('hex')}`)
  const index = new MemoryFileIndex()
  const service = new FileService({ blobs: new LocalBlobStore(root), index, maxFileBytes: opts.maxFileBytes ?? 2 * 1024 ** 3 })
  return Object.assign(service, { index, root })
}
