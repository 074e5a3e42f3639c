// Reading a zip from the file store with yauzl, by byte ranges: the central directory (at the end of the file) is
// read first and every entry is checked (names, sizes, ratio, count) before any is unpacked; then each entry streams
// from its range through inflate into the store. No archive or entry is ever held whole.
import { PassThrough, pipeline, type Readable } from 'node:stream'
import { RandomAccessReader, fromRandomAccessReaderPromise, getFileNameLowLevel, type Entry, type ZipFile } from 'yauzl'
import { formatBytes, type FileRef } from '../../files/ref'
import type { OpenFile, RunFiles } from '../../files/types'
import { invalidFile, keepsOwnError, RATIO_FLOOR, tooLarge, unsafePath, type ArchiveLimits, type Source } from './limits'
import { checkEntryPath } from './entry-path'

/** Reads of the central directory (46 bytes, then a name…) are served from one block fetched ahead. */
const BLOCK = 64 * 1024

class StoreReader extends RandomAccessReader {
  private block: { start: number; bytes: Buffer } | undefined
  constructor(private readonly file: OpenFile) {
    super()
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough()
    this.file.stream({ start, end: end - 1 }).then(
      // A failure destroys `out` with the error, which yauzl listens for and hands to the entry's stream.
      (source) => pipeline(source, out, () => {}),
      (err: Error) => out.destroy(err),
    )
    return out
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    const cached = this.block
    if (cached && position >= cached.start && position + length <= cached.start + cached.bytes.length) {
      cached.bytes.copy(buffer, offset, position - cached.start, position - cached.start + length)
      setImmediate(callback, null, length)
      return
    }
    const size = Math.min(Math.max(length, BLOCK), this.file.ref.size - position)
    if (size <= 0) {
      setImmediate(callback, null, 0)
      return
    }
    this.fetch(position, size).then(
      (bytes) => {
        this.block = { start: position, bytes }
        const n = Math.min(length, bytes.length)
        bytes.copy(buffer, offset, 0, n)
        callback(null, n)
      },
      (err: Error) => callback(err),
    )
  }

  private async fetch(start: number, size: number): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of await this.file.stream({ start, end: start + size - 1 })) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }
}

/** An entry that passed the checks: its clean path inside the archive. */
export interface ZipEntry {
  entry: Entry
  path: string
}

export async function openZip(file: OpenFile, src: Source): Promise<ZipFile> {
  try {
    const zip = await fromRandomAccessReaderPromise(new StoreReader(file), file.ref.size, {
      lazyEntries: true,
      autoClose: false,
      // Names are decoded and checked here (checkEntryPath), so a bad one is refused with the entry named as written.
      decodeStrings: false,
      // An entry that inflates past the size it declares fails its stream (the "size liar" zip bomb).
      validateEntrySizes: true,
    })
    // yauzl reports some failures as 'error' events on the zip (a reader that fails to close); each is already a
    // rejected read or stream for us, and an unheard event would end the process.
    zip.on('error', () => {})
    return zip
  } catch (err) {
    throw keepsOwnError(err) ? err : invalidFile(src, `is not a zip or gzip archive (${(err as Error).message})`, err)
  }
}

/** Every file entry of the archive, checked against `limits` from what the central directory declares; folders are skipped. */
export async function listEntries(zip: ZipFile, src: Source, limits: ArchiveLimits): Promise<ZipEntry[]> {
  if (zip.entryCount > limits.maxEntries) {
    throw tooLarge(src, `holds ${zip.entryCount} entries, more than maxEntries (${limits.maxEntries})`, { limit: 'maxEntries' })
  }
  const entries: ZipEntry[] = []
  let total = 0
  try {
    for await (const entry of zip.eachEntry()) {
      const name = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true)
      const checked = checkEntryPath(name)
      if ('reason' in checked) throw unsafePath(src, name, checked.reason)
      if (checked.directory) continue
      const { path } = checked
      if (entry.isEncrypted()) throw invalidFile(src, `holds "${path}", which is encrypted (encrypted archives are not supported)`)
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw invalidFile(src, `holds "${path}", compressed with method ${entry.compressionMethod} (only stored and deflate entries are supported)`)
      }
      const size = entry.uncompressedSize
      const details = { entry: path, declaredBytes: size }
      if (size > limits.maxFileBytes) {
        throw tooLarge(src, `holds "${path}" of ${formatBytes(size)}, more than the ${formatBytes(limits.maxFileBytes)} one file may have`, { ...details, limit: 'maxFileBytes' })
      }
      total += size
      if (total > limits.maxTotalBytes) {
        throw tooLarge(src, `unpacks to more than ${formatBytes(limits.maxTotalBytes)} (maxTotalMb)`, { ...details, limit: 'maxTotalMb' })
      }
      if (size > RATIO_FLOOR && size > entry.compressedSize * limits.maxRatio) {
        const ratio = Math.round(size / Math.max(1, entry.compressedSize))
        throw tooLarge(src, `holds "${path}", which grows ${ratio} times when unpacked, more than maxRatio (${limits.maxRatio})`, { ...details, limit: 'maxRatio' })
      }
      entries.push({ entry, path })
    }
  } catch (err) {
    throw keepsOwnError(err) ? err : invalidFile(src, `is a damaged zip archive (${(err as Error).message})`, err)
  }
  return entries
}

/** Streams one checked entry into the store as a file named after its last path segment. */
export async function extractEntry(zip: ZipFile, { entry, path }: ZipEntry, files: RunFiles, src: Source, signal: AbortSignal): Promise<FileRef> {
  try {
    const stream = await zip.openReadStreamPromise(entry)
    // The store's pipeline hears the stream's errors while it runs; this keeps a late one from ending the process.
    stream.on('error', () => {})
    return await files.write({ name: path.slice(path.lastIndexOf('/') + 1), data: stream, maxBytes: entry.uncompressedSize, signal })
  } catch (err) {
    if (keepsOwnError(err)) throw err
    const message = (err as Error).message
    if (/too many bytes/.test(message)) {
      throw tooLarge(src, `holds "${path}", which unpacks to more than the ${entry.uncompressedSize} bytes its header declares`, { entry: path, limit: 'declaredSize' })
    }
    throw invalidFile(src, `is a damaged zip archive: "${path}" cannot be unpacked (${message})`, err)
  }
}
