// A webhook's multipart/form-data body: fields become `body.<name>`, each file part is streamed into the file store
// (never held whole) and becomes `body.<name>` = a FileRef; a name sent more than once becomes an array, as in n8n.
// The files are written without an execution (kept for the store's unattached TTL) until the ingress attaches them
// to the run they start; any failure here deletes the ones already written.
import busboy from 'busboy'
import type { Readable } from 'node:stream'
import { AppError, PayloadTooLargeError, ValidationError } from '../errors'
import { NodeError } from '../engine/types'
import type { FileRef } from '../files/ref'
import type { RunFiles } from '../files/types'

export const MULTIPART_LIMITS = { parts: 1000, files: 100, fieldNameBytes: 200 } as const

export interface MultipartLimits {
  /** The whole request (every part, headers and boundaries included). */
  requestBytes: number
  /** All field values together (they travel inside the run's input item). */
  fieldBytes: number
}

export interface MultipartBody {
  body: Record<string, unknown>
  files: FileRef[]
}

/**
 * Streams `chunks` through busboy. Over `requestBytes` or `fieldBytes`, or over a part/file/field count: 413.
 * Malformed (no boundary, a cut-off body, bad part headers): 400 naming the problem. On any failure the files
 * written so far are handed to `discard` before the error is thrown.
 */
export async function readMultipart(opts: {
  contentType: string
  chunks: AsyncIterable<Uint8Array>
  /** Stop reading the request (it went over a limit or is malformed). */
  abort(): void
  files: RunFiles
  discard(files: FileRef[]): Promise<void>
  limits: MultipartLimits
}): Promise<MultipartBody> {
  const { limits } = opts
  const bb = createParser(opts.contentType, limits.fieldBytes)
  const values = new FormValues()
  const written: FileRef[] = []
  const unchosen: FileRef[] = []
  const writes: Promise<void>[] = []
  const ac = new AbortController()
  let failure: unknown
  let failed!: () => void
  const stopped = new Promise<void>((resolve) => (failed = resolve))
  const fail = (err: unknown) => {
    failure ??= err
    ac.abort()
    failed()
  }
  let fieldBytes = 0

  bb.on('field', (name, value, info) => {
    fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value)
    if (info.valueTruncated || fieldBytes > limits.fieldBytes) return fail(new AppError(413, 'PAYLOAD_TOO_LARGE', `Form fields are larger than the limit of ${limits.fieldBytes} bytes`))
    if (info.nameTruncated) return fail(new ValidationError(`A form field name is longer than ${MULTIPART_LIMITS.fieldNameBytes} bytes`, { body: 'field name too long' }))
    values.add(name, value)
  })
  bb.on('file', (name, stream, info) => {
    if (failure) return void stream.resume()
    const fill = values.add(name, NO_FILE)
    writes.push(storeFile(opts.files, name, stream, info, ac.signal).then((ref) => {
      written.push(ref)
      // An HTML form's file input left empty sends a nameless octet-stream part without bytes: no file was chosen.
      if (info.filename === undefined && ref.size === 0) unchosen.push(ref)
      else fill(ref)
    }, fail))
  })
  bb.on('partsLimit', () => fail(new AppError(413, 'PAYLOAD_TOO_LARGE', `The form has more than ${MULTIPART_LIMITS.parts} parts`)))
  bb.on('filesLimit', () => fail(new AppError(413, 'PAYLOAD_TOO_LARGE', `The form has more than ${MULTIPART_LIMITS.files} files`)))
  bb.on('fieldsLimit', () => fail(new AppError(413, 'PAYLOAD_TOO_LARGE', `The form has more than ${MULTIPART_LIMITS.parts} fields`)))
  const parsed = new Promise<void>((resolve) => {
    bb.once('close', resolve)
    bb.once('error', (err) => {
      fail(new ValidationError(`Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`, { body: 'malformed multipart/form-data' }))
      resolve()
    })
  })

  await feed(bb, opts.chunks, limits.requestBytes, fail, Promise.race([stopped, parsed]), () => failure !== undefined)
  // A file over the store's cap can fail after the whole request was fed: busboy then never closes (its file stream
  // was destroyed unread), so a failure stops the wait too.
  await Promise.race([parsed, stopped])
  if (failure) {
    opts.abort()
    bb.destroy()
  }
  await Promise.all(writes)
  if (failure || unchosen.length > 0) await opts.discard(failure ? written : unchosen).catch(() => undefined)
  if (failure) throw failure
  return { body: values.toBody(), files: written.filter((f) => !unchosen.includes(f)) }
}

/** The place of a file part not stored (yet, or at all). */
const NO_FILE = Symbol('no file')

/** Values by name in the form's order (a file's place is taken when its part starts); a repeated name: an array. */
class FormValues {
  private readonly byName = new Map<string, unknown[]>()

  /** Returns how to replace the value later (a file's reference once it is stored). */
  add(name: string, value: unknown): (filled: unknown) => void {
    const list = this.byName.get(name) ?? this.byName.set(name, []).get(name)!
    const at = list.push(value) - 1
    return (filled) => (list[at] = filled)
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = {}
    for (const [name, all] of this.byName) {
      const list = all.filter((v) => v !== NO_FILE)
      // defineProperty: a field named "__proto__" is a field, not the object's prototype.
      if (list.length > 0) Object.defineProperty(body, name, { value: list.length === 1 ? list[0] : list, enumerable: true, writable: true, configurable: true })
    }
    return body
  }
}

function createParser(contentType: string, fieldBytes: number): busboy.Busboy {
  try {
    return busboy({
      headers: { 'content-type': contentType },
      // File names in Content-Disposition: UTF-8 (what browsers and curl send), not busboy's latin1 default.
      defParamCharset: 'utf8',
      limits: { parts: MULTIPART_LIMITS.parts, files: MULTIPART_LIMITS.files, fields: MULTIPART_LIMITS.parts, fieldSize: fieldBytes, fieldNameSize: MULTIPART_LIMITS.fieldNameBytes },
    })
  } catch (err) {
    throw new ValidationError(`Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`, { 'content-type': 'multipart/form-data needs a boundary' })
  }
}

/** Writes the request into busboy with backpressure; counts bytes against the request limit. */
async function feed(bb: busboy.Busboy, chunks: AsyncIterable<Uint8Array>, limit: number, fail: (err: unknown) => void, stopped: Promise<void>, failed: () => boolean) {
  let size = 0
  for await (const chunk of chunks) {
    size += chunk.byteLength
    if (size > limit) {
      fail(new PayloadTooLargeError(limit))
      return
    }
    if (failed()) return
    if (!bb.write(chunk)) await Promise.race([new Promise((resolve) => bb.once('drain', resolve)), stopped])
    if (failed()) return
  }
  bb.end()
}

async function storeFile(files: RunFiles, field: string, stream: Readable, info: busboy.FileInfo, signal: AbortSignal): Promise<FileRef> {
  // A client that knows nothing better says octet-stream: the name's extension says more.
  const declared = info.mimeType && info.mimeType !== 'application/octet-stream' ? info.mimeType : undefined
  try {
    return await files.write({ name: info.filename || field, mimeType: declared, data: stream, signal })
  } catch (err) {
    stream.resume()
    if (err instanceof NodeError && err.code === 'FILE_TOO_LARGE') throw new AppError(413, 'PAYLOAD_TOO_LARGE', err.message)
    throw err
  }
}
