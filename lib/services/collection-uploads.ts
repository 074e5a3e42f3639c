// Files uploaded to a collection (POST /api/collections/:name/documents as multipart/form-data): each file part
// becomes a document keyed by its name (after an optional `keyPrefix` field), with the `metadata` field (a JSON
// object) on every one. The parts stream into the file store like a webhook's (./webhook-multipart.ts: limits,
// malformed bodies), each capped at the store's largest document, so a 500 MB PDF is refused while it arrives rather
// than after it was written; the host reads them from there and they are deleted once the ingest is over.
import { parseJsonText } from '../http/body'
import { ValidationError } from '../errors'
import type { FileService } from '../files/service'
import { findFileRefs, type FileRef } from '../files/ref'
import type { RunFiles } from '../files/types'
import type { DocumentFile, IngestDocument } from '../vector/types'
import { discardFiles } from './files'
import { MULTIPART_LIMITS, readMultipart } from './webhook-multipart'

export interface UploadLimits {
  /** The whole request, every file included. */
  requestBytes: number
  /** The form's text fields together. */
  fieldBytes: number
  /** One file (the vector store's largest document). */
  fileBytes: number
}

export interface UploadedDocuments {
  documents: IngestDocument[]
  /** Deletes the uploaded files (call once the ingest is over, whatever its outcome). */
  discard(): Promise<void>
}

export function isMultipart(req: Request): boolean {
  return (req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')
}

export async function readUploadedDocuments(req: Request, deps: { files: FileService; tenantId: string; limits: UploadLimits }): Promise<UploadedDocuments> {
  const store = deps.files.scoped({ tenantId: deps.tenantId, executionId: null })
  const capped: RunFiles = { ...store, write: (file) => store.write({ ...file, maxBytes: deps.limits.fileBytes }) }
  const body = req.body as unknown as AsyncIterable<Uint8Array> | null
  if (!body) throw new ValidationError('files: choose at least one file', { files: 'no file was sent' })
  const { body: fields, files } = await readMultipart({
    contentType: req.headers.get('content-type') ?? '',
    chunks: body,
    abort: () => void req.body?.cancel().catch(() => undefined),
    files: capped,
    discard: (refs) => discardFiles(deps.files, deps.tenantId, refs),
    limits: { requestBytes: deps.limits.requestBytes, fieldBytes: deps.limits.fieldBytes },
  })
  const discard = () => discardFiles(deps.files, deps.tenantId, files).catch(() => undefined)
  try {
    if (files.length === 0) throw new ValidationError('files: choose at least one file', { files: 'no file was sent' })
    const metadata = parseMetadataField(fields.metadata)
    const prefix = typeof fields.keyPrefix === 'string' ? fields.keyPrefix : ''
    // In the form's order (the fields hold the references as the parts came), not the order the writes ended in.
    const inOrder = findFileRefs(fields, MULTIPART_LIMITS.files)
    return { documents: inOrder.map((ref, i) => toDocument(store, ref, i, prefix, metadata)), discard }
  } catch (err) {
    await discard()
    throw err
  }
}

function toDocument(store: RunFiles, ref: FileRef, index: number, keyPrefix: string, metadata: Record<string, unknown> | undefined): IngestDocument {
  const file: DocumentFile = {
    name: ref.name,
    mimeType: ref.mimeType,
    size: ref.size,
    read: async (maxBytes) => (await store.readBytes(ref, { field: `files.${index}`, maxBytes })).bytes,
  }
  // No title: the store takes the document's own (an HTML <title>, a PDF's metadata).
  return { key: `${keyPrefix}${ref.name}`, file, metadata }
}

function parseMetadataField(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw new ValidationError('metadata: send it once, as a JSON object', { metadata: 'sent more than once' })
  let parsed: unknown
  try {
    // The JSON bodies' guards (lib/http/body.ts): nesting, NUL, prototype-pollution keys.
    parsed = parseJsonText(value)
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    const [field, message] = Object.entries(err.fields ?? {})[0] ?? ['(body)', 'not valid JSON']
    const path = field === '(body)' ? 'metadata' : `metadata.${field}`
    throw new ValidationError(`${path}: ${message === 'malformed JSON' ? 'not valid JSON' : message}`, { [path]: message === 'malformed JSON' ? 'not valid JSON' : message })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError('metadata: must be a JSON object', { metadata: 'must be a JSON object' })
  return parsed as Record<string, unknown>
}
