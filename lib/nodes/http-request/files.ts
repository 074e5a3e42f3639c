// Files through the HTTP node: a file as the request body, multipart/form-data with file parts, and responses stored
// as files. Bytes stream both ways (never whole in memory); the item carries the FileRef.
import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import { NodeError, type HttpClient, type HttpRequestSpec, type HttpStreamResponse } from '../../engine/types'
import type { FileRef } from '../../files/ref'
import type { RunFiles } from '../../files/types'
import { getPath } from '../paths'

export interface RequestBody {
  body: AsyncIterable<Uint8Array>
  headers: Record<string, string>
}

function fileValue(item: Record<string, unknown>, field: string): unknown {
  return field.includes('.') ? getPath(item, field) : item[field]
}

/** The file in `field` of the item as the whole body, with its type and length. */
export async function fileBody(files: RunFiles, item: Record<string, unknown>, field: string): Promise<RequestBody> {
  const file = await files.open(fileValue(item, field), field)
  return {
    body: await file.stream(),
    headers: { 'content-type': file.ref.mimeType, 'content-length': String(file.ref.size) },
  }
}

/** A header parameter value as browsers write it in multipart bodies (HTML spec: quote, CR and LF percent-encoded). */
function quoted(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`
}

/**
 * multipart/form-data (RFC 7578) with text fields and file parts streamed from the store. Written here rather than
 * with FormData: undici's FormData wants each file as a Blob, which means in memory or on a local path, and files in
 * S3 are neither.
 */
export async function multipartBody(
  files: RunFiles,
  item: Record<string, unknown>,
  fields: Record<string, string>,
  parts: { name: string; field: string }[],
): Promise<RequestBody> {
  const boundary = `----auterity${randomBytes(12).toString('hex')}`
  const opened = await Promise.all(parts.map(async (p) => ({ name: p.name, file: await files.open(fileValue(item, p.field), `fileParts.${p.field}`) })))
  const head = (name: string, file?: FileRef) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}${file ? `; filename=${quoted(file.name)}\r\nContent-Type: ${file.mimeType}` : ''}\r\n\r\n`,
    )
  const CRLF = Buffer.from('\r\n')
  const tail = Buffer.from(`--${boundary}--\r\n`)
  let length = tail.length
  for (const [name, value] of Object.entries(fields)) length += head(name).length + Buffer.byteLength(value) + CRLF.length
  for (const { name, file } of opened) length += head(name, file.ref).length + file.ref.size + CRLF.length
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const [name, value] of Object.entries(fields)) {
      yield head(name)
      yield Buffer.from(value)
      yield CRLF
    }
    for (const { name, file } of opened) {
      yield head(name, file.ref)
      yield* (await file.stream()) as AsyncIterable<Uint8Array>
      yield CRLF
    }
    yield tail
  }
  return { body: body(), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) } }
}

/** The name a download gets: Content-Disposition's filename, else the URL's last path segment, else "download". */
export function downloadName(headers: Record<string, string>, url: string): string {
  const disposition = headers['content-disposition'] ?? ''
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim())
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(disposition)
  const name = plain?.[1] ?? plain?.[2]?.trim()
  if (name) return name
  const last = new URL(url).pathname.split('/').filter(Boolean).pop()
  try {
    return last ? decodeURIComponent(last) : 'download'
  } catch {
    return last ?? 'download'
  }
}

/** A streamed response, or a whole one read into the same shape when the host's client cannot stream (test doubles). */
export async function openResponse(http: HttpClient, spec: HttpRequestSpec, maxBytes: number): Promise<HttpStreamResponse> {
  if (http.requestStream) return http.requestStream({ ...spec, maxBytes })
  const res = await http.request(spec)
  return {
    ...res,
    body: (async function* () {
      yield res.body
    })(),
    cancel: () => undefined,
  }
}

/** Reads a streamed body whole, up to `limit` bytes (JSON and text answers). */
export async function readAll(res: HttpStreamResponse, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of res.body) {
    total += chunk.byteLength
    if (total > limit) {
      res.cancel()
      throw new NodeError(`Response from ${new URL(res.url).host} is larger than ${limit} bytes; set responseFormat to "file" to keep it as a file`, {
        code: 'HTTP_RESPONSE_TOO_LARGE',
        field: 'responseFormat',
        details: { limitBytes: limit },
      })
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

export function storeResponse(files: RunFiles, res: HttpStreamResponse, signal: AbortSignal): Promise<FileRef> {
  const mimeType = (res.headers['content-type'] ?? '').split(';')[0]!.trim() || undefined
  return files.write({ name: downloadName(res.headers, res.url), mimeType, data: res.body as AsyncIterable<Uint8Array> | Readable, signal })
}
