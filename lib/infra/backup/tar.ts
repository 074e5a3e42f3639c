// A small POSIX ustar writer and reader over gzip (node:zlib), enough for backup archives: regular files and
// directories, names up to 255 bytes, sizes past 8 GiB in GNU base-256. The project has no tar package of its own
// (the one in node_modules comes with a dev dependency), and `tar xzf` reads what this writes.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createGunzip, createGzip } from 'node:zlib'
import type { Readable, Writable } from 'node:stream'

const BLOCK = 512

export class ArchiveCorruptError extends Error {}

function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name }
  // ustar keeps long paths as prefix (155) + "/" + name (100), split at a slash.
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i)
    const rest = name.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest }
  }
  throw new Error(`path too long for the archive: ${name}`)
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function header(name: string, size: number, type: '0' | '5', mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK)
  const parts = splitName(name)
  h.write(parts.name, 0, 100)
  h.write(octal(mode & 0o7777, 8), 100)
  h.write(octal(0, 8), 108)
  h.write(octal(0, 8), 116)
  if (size < 8 ** 11) h.write(octal(size, 12), 124)
  else {
    // GNU base-256: high bit set, big-endian value in the remaining bytes.
    h[124] = 0x80
    h.writeBigUInt64BE(BigInt(size), 128)
  }
  h.write(octal(Math.floor(mtime), 12), 136)
  h.write('        ', 148)
  h.write(type, 156)
  h.write('ustar\0', 257)
  h.write('00', 263)
  h.write(parts.prefix, 345, 155)
  let sum = 0
  for (const byte of h) sum += byte
  h.write(octal(sum, 7) + ' ', 148)
  return h
}

function parseSize(h: Buffer): number {
  if (h[124] & 0x80) return Number(h.readBigUInt64BE(128))
  return parseInt(h.subarray(124, 136).toString().replace(/\0.*$/s, '').trim() || '0', 8)
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0)
  return buf.subarray(0, end === -1 ? buf.length : end).toString()
}

/** Writes a .tar.gz; every method resolves once its bytes are handed to the gzip stream. */
export class TarGzWriter {
  private readonly gzip = createGzip({ level: 6 })
  private readonly done: Promise<void>
  private failed: Error | undefined

  constructor(out: Writable) {
    this.done = new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        this.failed = err
        reject(err)
      }
      out.on('finish', resolve)
      out.on('error', fail)
      this.gzip.on('error', fail)
    })
    // Surfaced by the next write or by close(), not as an unhandled rejection.
    this.done.catch(() => {})
    this.gzip.pipe(out)
  }

  private async write(chunk: Buffer): Promise<void> {
    if (this.failed) throw this.failed
    if (!this.gzip.write(chunk)) await new Promise<void>((resolve) => this.gzip.once('drain', resolve))
  }

  async directory(name: string, mode = 0o700): Promise<void> {
    await this.write(header(name.replace(/\/?$/, '/'), 0, '5', mode, Date.now() / 1000))
  }

  async buffer(name: string, data: Buffer, mode = 0o600): Promise<{ size: number; sha256: string }> {
    await this.write(header(name, data.length, '0', mode, Date.now() / 1000))
    await this.write(data)
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK
    if (pad) await this.write(Buffer.alloc(pad))
    return { size: data.length, sha256: createHash('sha256').update(data).digest('hex') }
  }

  /**
   * Adds a file as it is when opened: its size then is what goes in, so a file written meanwhile cannot break the
   * archive, and one that shrinks is padded with zeros (a live PostgreSQL data file: WAL replay rewrites it, as it
   * does for pg_basebackup). Returns its size and sha256, or undefined when the file was gone (dropped meanwhile).
   */
  async file(name: string, source: string, mode = 0o600): Promise<{ size: number; sha256: string } | undefined> {
    let handle: fs.promises.FileHandle
    try {
      handle = await fs.promises.open(source, 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    try {
      const { size } = await handle.stat()
      await this.write(header(name, size, '0', mode, Date.now() / 1000))
      const hash = createHash('sha256')
      const buf = Buffer.alloc(1024 * 1024)
      for (let at = 0; at < size; ) {
        const want = Math.min(buf.length, size - at)
        const { bytesRead } = await handle.read(buf, 0, want, at)
        const piece = bytesRead ? Buffer.from(buf.subarray(0, bytesRead)) : Buffer.alloc(want)
        hash.update(piece)
        await this.write(piece)
        at += piece.length
      }
      const pad = (BLOCK - (size % BLOCK)) % BLOCK
      if (pad) await this.write(Buffer.alloc(pad))
      return { size, sha256: hash.digest('hex') }
    } finally {
      await handle.close()
    }
  }

  async close(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2))
    this.gzip.end()
    await this.done
  }
}

export interface TarEntry {
  name: string
  type: 'file' | 'directory'
  size: number
  mode: number
}

/**
 * Reads a .tar.gz entry by entry. `onEntry` gets each entry and, for files, a stream of its bytes that it must
 * consume. A truncated or damaged archive rejects with ArchiveCorruptError.
 */
export async function readTarGz(input: Readable, onEntry: (entry: TarEntry, body: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
  const gunzip = createGunzip()
  input.on('error', (err) => gunzip.destroy(err))
  input.pipe(gunzip)
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let pending: Buffer = Buffer.alloc(0)
  let ended = false

  const pull = async (): Promise<boolean> => {
    if (ended) return false
    let next: IteratorResult<Buffer>
    try {
      next = await chunks.next()
    } catch (err) {
      throw new ArchiveCorruptError(`the archive is truncated or damaged (${(err as Error).message})`)
    }
    if (next.done) {
      ended = true
      return false
    }
    pending = pending.length ? Buffer.concat([pending, next.value]) : next.value
    return true
  }
  const take = async (n: number): Promise<Buffer> => {
    while (pending.length < n) if (!(await pull())) throw new ArchiveCorruptError('the archive is truncated (it ends inside an entry)')
    const out = pending.subarray(0, n)
    pending = pending.subarray(n)
    return out
  }

  for (;;) {
    const h = await take(BLOCK)
    if (h.every((b) => b === 0)) break
    let sum = 0
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]
    if (sum !== parseInt(cString(h.subarray(148, 156)).trim(), 8)) throw new ArchiveCorruptError('the archive is damaged (a header checksum does not match)')
    const prefix = cString(h.subarray(345, 500))
    const name = (prefix ? `${prefix}/` : '') + cString(h.subarray(0, 100))
    const size = parseSize(h)
    const mode = parseInt(cString(h.subarray(100, 108)).trim() || '0', 8)
    const typeFlag = String.fromCharCode(h[156] || 48)
    if (typeFlag !== '0' && typeFlag !== '5') throw new ArchiveCorruptError(`the archive holds an entry of a type backups never write (${typeFlag}): ${name}`)
    let left = size
    async function* body(): AsyncIterable<Buffer> {
      while (left > 0) {
        if (!pending.length && !(await pull())) throw new ArchiveCorruptError('the archive is truncated (it ends inside a file)')
        const piece = pending.subarray(0, left)
        pending = pending.subarray(piece.length)
        left -= piece.length
        yield piece
      }
    }
    await onEntry({ name: name.replace(/\/$/, ''), type: typeFlag === '5' ? 'directory' : 'file', size, mode }, body())
    for await (const _ of body()) void _ // whatever the callback left unread
    const pad = (BLOCK - (size % BLOCK)) % BLOCK
    if (pad) await take(pad)
  }
  // The gzip trailer's CRC is checked when the stream ends: read to the end.
  while (await pull()) pending = Buffer.alloc(0)
}
