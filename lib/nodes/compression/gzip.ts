// gzip one file into name.gz and back, streamed through zlib. A gzip file does not say how large its content is
// (its trailer holds the size modulo 4 GiB), so unpacking counts the bytes as they come and stops at the limits.
import { pipeline } from 'node:stream'
import { createGunzip, createGzip } from 'node:zlib'
import { formatBytes, type FileRef } from '../../files/ref'
import type { OpenFile, RunFiles } from '../../files/types'
import { ByteLimit, inflateLimit, invalidFile, keepsOwnError, tooLarge, type ArchiveLimits, type Source } from './limits'

/** Streams' errors reach the store's write, which rejects with them; the callback has nothing left to do. */
const settled = () => {}

export async function gzipFile(files: RunFiles, file: OpenFile, signal: AbortSignal): Promise<FileRef> {
  const data = pipeline(await file.stream(), createGzip(), settled)
  return files.write({ name: `${file.ref.name}.gz`, mimeType: 'application/gzip', data, signal })
}

/** report.csv.gz → report.csv, logs.tgz → logs.tar; a name without the suffix is kept. */
export function gunzippedName(name: string): string {
  const base = name.replace(/\.tgz$/i, '.tar').replace(/\.gz(ip)?$/i, '')
  return base === '' ? 'file' : base
}

export async function gunzipFile(files: RunFiles, file: OpenFile, src: Source, limits: ArchiveLimits, signal: AbortSignal): Promise<FileRef> {
  const cap = Math.min(limits.maxTotalBytes, limits.maxFileBytes)
  const limit = inflateLimit(file.ref.size, limits, cap)
  const counter = new ByteLimit(limit, () =>
    limit === cap
      ? tooLarge(src, `unpacks to more than ${formatBytes(cap)} (maxTotalMb, or the file store's cap for one file)`, { limit: 'maxTotalMb' })
      : tooLarge(src, `grows more than ${limits.maxRatio} times when unpacked (maxRatio)`, { limit: 'maxRatio' }),
  )
  const data = pipeline(await file.stream(), createGunzip(), counter, settled)
  try {
    return await files.write({ name: gunzippedName(file.ref.name), data, signal })
  } catch (err) {
    throw keepsOwnError(err) ? err : invalidFile(src, `is a damaged gzip file (${(err as Error).message})`, err)
  }
}
