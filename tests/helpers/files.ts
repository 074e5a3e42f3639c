// A file store for tests that run nodes without a database: metadata in a Map, bytes in a temporary folder
// (the same LocalBlobStore the processes use by default).
import os from 'node:os'
import path from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import type { FileRef } from '@/lib/files/ref'
import type { RunFiles } from '@/lib/files/types'
import { MemoryFileIndex } from '@/lib/files/index-store'
import { LocalBlobStore } from '@/lib/files/local-store'
import { FileService } from '@/lib/files/service'

export function memoryFiles(opts: { maxFileBytes?: number; root?: string } = {}): FileService & { index: MemoryFileIndex; root: string } {
  const root = opts.root ?? path.join(os.tmpdir(), `auterity-files-${randomBytes(6).toString('hex')}`)
  const index = new MemoryFileIndex()
  const service = new FileService({ blobs: new LocalBlobStore(root), index, maxFileBytes: opts.maxFileBytes ?? 2 * 1024 ** 3 })
  return Object.assign(service, { index, root })
}

/** Stores `text` as the file `ref.$file` of `tenantId` (fixed ids, as docs examples name them; the service's own
 * writes always make new ids). */
export async function seedFile(files: ReturnType<typeof memoryFiles>, tenantId: string, ref: FileRef, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8')
  const storageKey = `${tenantId}/${ref.$file}`
  await files.blobs.put(storageKey, Readable.from([bytes]), { contentType: ref.mimeType })
  await files.index.insert({
    id: ref.$file,
    tenantId,
    executionId: null,
    name: ref.name,
    mimeType: ref.mimeType,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    storageKey,
    createdAt: new Date(),
    expiresAt: null,
  })
}

/** The text of a stored file. */
export async function fileText(files: RunFiles, ref: unknown): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of await (await files.open(ref, 'file')).stream()) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
