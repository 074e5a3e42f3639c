// Files in a folder (by default `.data/files`): each blob is written to a temporary name and renamed into place, so a
// reader never sees half a file and a crashed write leaves only a temp file for the next start to clear.
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import { assertKey, type BlobStore, type ByteRange } from './blob-store'

const TMP = '.tmp'

export class LocalBlobStore implements BlobStore {
  readonly description: string
  constructor(private readonly root: string) {
    this.description = `local ${root}`
  }

  private file(key: string): string {
    assertKey(key)
    return path.join(this.root, key)
  }

  async put(key: string, body: Readable, opts: { signal?: AbortSignal }): Promise<void> {
    const target = this.file(key)
    const tmpDir = path.join(this.root, TMP)
    await fsp.mkdir(tmpDir, { recursive: true })
    await fsp.mkdir(path.dirname(target), { recursive: true })
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}`)
    try {
      await pipeline(body, fs.createWriteStream(tmp, { flags: 'wx' }), { signal: opts.signal })
      await fsp.rename(tmp, target)
    } catch (err) {
      await fsp.rm(tmp, { force: true })
      throw err
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.file(key)
    const handle = await fsp.open(file, 'r')
    return handle.createReadStream(range ? { start: range.start, ...(range.end !== undefined && { end: range.end }) } : {})
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => fsp.rm(this.file(key), { force: true })))
  }

  /** Temp files older than an hour are from writes that died with their process. */
  async clearStaleTemp(olderThanMs = 3_600_000): Promise<void> {
    const dir = path.join(this.root, TMP)
    const names = await fsp.readdir(dir).catch(() => [] as string[])
    const cutoff = Date.now() - olderThanMs
    for (const name of names) {
      const stat = await fsp.stat(path.join(dir, name)).catch(() => undefined)
      if (stat && stat.mtimeMs < cutoff) await fsp.rm(path.join(dir, name), { force: true })
    }
  }

  async close(): Promise<void> {}
}
