// Archives for tests of nodes that read them: real zips made with yazl (patched by hand to make the bad ones yazl
// refuses to write), gzip members from zlib, and streams of zeros that are never held whole.
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { ZipFile } from 'yazl'

export interface ZipEntrySpec {
  name: string
  data?: Buffer | string
  /** A folder entry (`name/`). */
  directory?: boolean
  /** Stored instead of deflated. */
  store?: boolean
}

export async function zipBuffer(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new ZipFile()
  for (const e of entries) {
    if (e.directory) zip.addEmptyDirectory(e.name)
    else zip.addBuffer(Buffer.from(e.data ?? ''), e.name, { compress: !e.store })
  }
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Every occurrence of `from` replaced by `to` (same length): a name yazl would refuse, written over a placeholder. */
export function patchBytes(buf: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from, 'latin1')
  const b = Buffer.from(to, 'latin1')
  if (a.length !== b.length) throw new Error('patchBytes needs equal lengths')
  const out = Buffer.from(buf)
  let count = 0
  for (let i = out.indexOf(a); i !== -1; i = out.indexOf(a, i + 1)) {
    b.copy(out, i)
    count++
  }
  if (count === 0) throw new Error(`"${from}" not found`)
  return out
}

const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** Makes every entry declare `size` uncompressed bytes, in the central directory and the local headers. */
export function declareSize(buf: Buffer, size: number): Buffer {
  const out = Buffer.from(buf)
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i)
    if (sig === CENTRAL) out.writeUInt32LE(size, i + 24)
    else if (sig === LOCAL && (out.readUInt16LE(i + 6) & 0x08) === 0) out.writeUInt32LE(size, i + 22)
  }
  return out
}

/** `count` gzip members of 1 MiB of zeros each, one after the other: a valid gzip file (gunzip reads every member)
 * of about 1 KB per MiB it unpacks to, so a 2 GiB bomb is 2 MB and takes no time to make. */
export function gzipOfZeros(mib: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 })
  return Buffer.concat(Array.from({ length: mib }, () => member))
}

/** `total` zero bytes in chunks of one reused buffer. */
export async function* zeros(total: number, chunk = 1024 * 1024): AsyncIterable<Buffer> {
  const block = Buffer.alloc(chunk)
  for (let left = total; left > 0; left -= chunk) yield left >= chunk ? block : block.subarray(0, left)
}

export async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of stream) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')
