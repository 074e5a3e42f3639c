// The first half of an ingest, before anything is written: each document checked, extracted, normalised and
// hashed; unchanged ones (same text, chunking, embedding, title and metadata) set aside; the rest chunked.
// Every error here names the document (`documents[3].file`, `metadata.year`), and nothing has been written.
import { createHash } from 'node:crypto'
import type { PrismaClient, VectorDocument } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { chunkText, type Chunk } from './chunk'
import type { CollectionRow } from './collections'
import { fieldsOfRow } from './collections'
import { VectorError } from './errors'
import { extractDocument } from './extract'
import { FIELD_NAME, fieldTypeOf, type Fields } from './filter'
import type { IngestDocument, MetaValue } from './types'

/** Bumped when chunking changes, so re-ingesting re-chunks documents that are otherwise unchanged. */
const CHUNKER_VERSION = 1
export const MAX_DOCUMENTS = 1000
const MAX_KEY = 512
const MAX_TITLE = 500
const MAX_METADATA_BYTES = 32 * 1024
/** Filterable metadata fields per collection (each is a column of its table). */
export const MAX_FIELDS = 64

export interface PreparedDocument {
  index: number
  key: string
  /** The existing row's id, else a new one derived from the collection and key (so two writers agree on it). */
  documentId: string
  title: string
  mimeType: string
  metadata: Record<string, unknown>
  /** The scalar fields with plain names: the document's filterable columns. */
  filterable: Record<string, MetaValue>
  contentHash: string
  previous: VectorDocument | null
  /** Null when unchanged: nothing to embed or write. */
  chunks: Chunk[] | null
}

/** JSON with object keys sorted: metadata compared by content, not by the order its keys came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  )
}

const documentIdFor = (collectionId: string, key: string) => `d${createHash('sha256').update(`${collectionId}\n${key}`).digest('hex').slice(0, 24)}`

function checkShape(docs: unknown): IngestDocument[] {
  if (!Array.isArray(docs) || docs.length === 0) throw new VectorError('VECTOR_INVALID', 'documents: give at least one document', { field: 'documents' })
  if (docs.length > MAX_DOCUMENTS) throw new VectorError('VECTOR_INVALID', `documents: at most ${MAX_DOCUMENTS} per ingest`, { field: 'documents' })
  const seen = new Map<string, number>()
  docs.forEach((doc: IngestDocument, i) => {
    const field = `documents[${i}]`
    if (typeof doc !== 'object' || doc === null) throw new VectorError('VECTOR_INVALID', `${field} must be an object`, { field })
    if (typeof doc.key !== 'string' || !doc.key.trim() || doc.key.length > MAX_KEY) throw new VectorError('VECTOR_INVALID', `${field}.key must be text of 1–${MAX_KEY} characters`, { field: `${field}.key` })
    if (seen.has(doc.key)) throw new VectorError('VECTOR_INVALID', `${field}.key "${doc.key}" repeats documents[${seen.get(doc.key)}].key`, { field: `${field}.key` })
    seen.set(doc.key, i)
    if (doc.title !== undefined && (typeof doc.title !== 'string' || doc.title.length > MAX_TITLE)) throw new VectorError('VECTOR_INVALID', `${field}.title must be text of at most ${MAX_TITLE} characters`, { field: `${field}.title` })
  })
  return docs as IngestDocument[]
}

function checkMetadata(metadata: unknown, field: string): Record<string, unknown> {
  if (metadata === undefined || metadata === null) return {}
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new VectorError('VECTOR_INVALID', `${field}.metadata must be an object`, { field: `${field}.metadata` })
  let json: string
  try {
    json = JSON.stringify(metadata)
  } catch (err) {
    throw new VectorError('VECTOR_INVALID', `${field}.metadata cannot be stored as JSON (${(err as Error).message})`, { field: `${field}.metadata` })
  }
  if (Buffer.byteLength(json) > MAX_METADATA_BYTES) throw new VectorError('VECTOR_INVALID', `${field}.metadata is over ${MAX_METADATA_BYTES / 1024} KB`, { field: `${field}.metadata` })
  return JSON.parse(json) as Record<string, unknown>
}

/** The document's filterable fields, checked against the types the collection (and this batch) already gave them. */
function filterableOf(metadata: Record<string, unknown>, known: Fields): Record<string, MetaValue> {
  const out: Record<string, MetaValue> = {}
  for (const [name, value] of Object.entries(metadata)) {
    const type = fieldTypeOf(value)
    if (!type || !FIELD_NAME.test(name)) continue
    const have = Object.hasOwn(known, name) ? known[name] : undefined
    if (have && have !== type) throw new VectorError('VECTOR_FIELD_TYPE', `metadata.${name}: the collection holds ${have} values for this field, not ${type}`, { field: `metadata.${name}` })
    if (!have) {
      if (Object.keys(known).length >= MAX_FIELDS) throw new VectorError('VECTOR_TOO_MANY_FIELDS', `metadata.${name}: a collection has at most ${MAX_FIELDS} filterable fields`, { field: `metadata.${name}` })
      known[name] = type
    }
    out[name] = value as MetaValue
  }
  return out
}

/** What decides a document's chunks and vectors (a collection's chunking and embedding never change). */
export function contentHash(text: string, collection: Pick<CollectionRow, 'chunkSize' | 'chunkOverlap' | 'embedding'>): string {
  return createHash('sha256').update(JSON.stringify([CHUNKER_VERSION, collection.chunkSize, collection.chunkOverlap, collection.embedding, text])).digest('hex')
}

export async function prepareDocuments(prisma: PrismaClient, collection: CollectionRow, docs: unknown, maxBytes: number): Promise<{ documents: PreparedDocument[]; fields: Fields }> {
  const checked = checkShape(docs)
  const previous = new Map(
    (await forTenant(prisma, collection.tenantId).vectorDocument.findMany({ where: { collectionId: collection.id, key: { in: checked.map((d) => d.key) } } })).map((d) => [d.key, d]),
  )
  const fields = fieldsOfRow(collection)
  const documents: PreparedDocument[] = []
  for (const [index, doc] of checked.entries()) {
    const field = `documents[${index}]`
    const metadata = checkMetadata(doc.metadata, field)
    const filterable = filterableOf(metadata, fields)
    const extracted = await extractDocument(doc, field, maxBytes)
    const title = doc.title ?? extracted.title.slice(0, MAX_TITLE)
    const hash = contentHash(extracted.text, collection)
    const prev = previous.get(doc.key) ?? null
    const unchanged = prev !== null && prev.contentHash === hash && prev.title === title && prev.mimeType === extracted.mimeType && canonicalJson(prev.metadata) === canonicalJson(metadata)
    const chunks = unchanged ? null : await chunkText(extracted.text, { size: collection.chunkSize, overlap: collection.chunkOverlap, markdown: extracted.markdown })
    documents.push({ index, key: doc.key, documentId: prev?.id ?? documentIdFor(collection.id, doc.key), title, mimeType: extracted.mimeType, metadata, filterable, contentHash: hash, previous: prev, chunks })
  }
  return { documents, fields }
}
