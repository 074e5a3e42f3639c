// A stored file as an HTTP answer (GET/HEAD /api/files/:id). The studio never renders a file on its own origin:
// every answer is a download (Content-Disposition: attachment), sniffing is off, a CSP sandbox stops scripts should
// a browser show it anyway, and types a browser would run (HTML, SVG, XML, JavaScript) go out as octet-stream.
// The run view previews images and text by fetching them as data (blob URLs, <pre>), with a Range for text.
import { Readable } from 'node:stream'
import type { ByteRange } from '../files/blob-store'
import type { FileRecord } from '../files/index-store'
import type { FileService } from '../files/service'
import { NotFoundError } from '../errors'

export const DOWNLOAD_PROTECTIONS: Readonly<Record<string, string>> = {
  'content-security-policy': "sandbox; default-src 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
  // Another site may not embed the file (<img>, <script>) with the visitor's cookie.
  'cross-origin-resource-policy': 'same-origin',
}

const ACTIVE_TYPE = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/xsl|application\/xslt\+xml|.+\/.+\+xml|text\/(x-)?javascript|application\/(x-)?javascript|(text|application)\/ecmascript|multipart\/.+)$/
const WELL_FORMED_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\\\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$/

/** The Content-Type a download is sent with: the stored type, unless a browser would execute it or it is malformed. */
export function downloadType(mimeType: string): string {
  const base = mimeType.split(';')[0].trim().toLowerCase()
  return WELL_FORMED_TYPE.test(mimeType) && !ACTIVE_TYPE.test(base) ? mimeType : 'application/octet-stream'
}

/** RFC 6266: an ASCII `filename` for old clients and the exact name as RFC 8187 `filename*` (UTF-8, percent-encoded). */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/**
 * One `bytes=` range within `size` (RFC 9110 14.1.2), 'unsatisfiable' (416), or undefined to send the whole file
 * (no header, a header this server does not do, such as several ranges, or an empty file).
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header || size === 0) return undefined
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  if (m[1] === '') {
    const suffix = Number(m[2])
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size) return 'unsatisfiable'
  return end < start ? undefined : { start, end }
}

/** The tenant's file as a download; another tenant's file and a deleted one are the same 404. */
export async function fileDownload(files: FileService, tenantId: string, id: string, req: Request): Promise<Response> {
  const record = await files.get(tenantId, id)
  if (!record) throw new NotFoundError('File')
  const headers: Record<string, string> = {
    ...DOWNLOAD_PROTECTIONS,
    'content-type': downloadType(record.mimeType),
    'content-disposition': attachmentDisposition(record.name),
    'accept-ranges': 'bytes',
    etag: `"${record.sha256}"`,
  }
  const range = parseRange(req.headers.get('range'), record.size)
  if (range === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${record.size}` } })
  }
  const length = range ? range.end! - range.start + 1 : record.size
  headers['content-length'] = String(length)
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`
  const status = range ? 206 : 200
  if (req.method === 'HEAD') return new Response(null, { status, headers })
  return new Response(await body(files, record, range), { status, headers })
}

async function body(files: FileService, record: FileRecord, range: ByteRange | undefined): Promise<ReadableStream<Uint8Array> | null> {
  if (record.size === 0) return null
  try {
    return Readable.toWeb(await files.stream(record, range)) as ReadableStream<Uint8Array>
  } catch (err) {
    // Its row outlived its bytes (removed by hand, a bucket lifecycle rule): as gone as a deleted file.
    if (isMissingBlob(err)) throw new NotFoundError('File')
    throw err
  }
}

/** A folder's ENOENT or S3's NoSuchKey. */
function isMissingBlob(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown } | null
  return e?.code === 'ENOENT' || e?.name === 'NoSuchKey' || e?.code === 'NoSuchKey'
}
