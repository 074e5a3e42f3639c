// The documents one input item of Ingest Documents gives: its text, or each file its field holds (read later,
// by the store, through the run's files), with the key, title and metadata its params say.
import { NodeError, type Item } from '../../../engine/types'
import type { FileRef } from '../../../files/ref'
import type { RunFiles } from '../../../files/types'
import type { DocumentFile, IngestDocument } from '../../../vector/types'
import { fileError, kindOf } from '../../file-fields'
import { getPath, parsePath } from '../../paths'
import { TEXT_TYPES, type IngestParams } from './definition'

/** The item's `id` field as a key, when it is text or a number. */
function idOf(item: Item): string | undefined {
  const id = item.id
  return typeof id === 'string' && id.trim() ? id.trim() : typeof id === 'number' ? String(id) : undefined
}

function metadataOf(item: Item, p: IngestParams): Record<string, unknown> | undefined {
  const picked: Record<string, unknown> = {}
  for (const path of p.metadataFields) {
    const value = getPath(item, path, 'metadataFields')
    if (value !== undefined) picked[String(parsePath(path, 'metadataFields').at(-1))] = value
  }
  const all = { ...picked, ...(p.metadata ?? {}) }
  return Object.keys(all).length ? all : undefined
}

export function textDocument(item: Item, p: IngestParams, index: number): IngestDocument {
  if (!p.text.trim()) throw new NodeError(`The text of item ${index} is empty`, { code: 'EMPTY_DOCUMENT', field: 'text', details: { item: index } })
  const key = p.key.trim() || idOf(item)
  if (!key) throw new NodeError(`Item ${index} has no "id" field to use as the document key: set key`, { code: 'INVALID_PARAM', field: 'key', details: { item: index } })
  return { key, title: p.title.trim() || key, text: p.text, mimeType: TEXT_TYPES[p.textType], metadata: metadataOf(item, p) }
}

/** A file of the store as the vector host reads it: its size known from the store's record, its bytes read (up to
 * the host's cap) only when the host gets to it. */
function documentFile(files: RunFiles, ref: FileRef, field: string, index: number): DocumentFile {
  return {
    name: ref.name,
    mimeType: ref.mimeType,
    size: ref.size,
    read: async (maxBytes) => {
      try {
        return (await files.readBytes(ref, { field, maxBytes })).bytes
      } catch (err) {
        throw fileError(err, 'fileField', index)
      }
    },
  }
}

export async function fileDocuments(files: RunFiles, item: Item, p: IngestParams, index: number): Promise<IngestDocument[]> {
  const value = getPath(item, p.fileField, 'fileField')
  if (value === undefined || value === null) {
    throw new NodeError(`"${p.fileField}" on item ${index} is ${kindOf(value)}, not a file`, { code: 'NOT_A_FILE', field: 'fileField', details: { item: index } })
  }
  const values = Array.isArray(value) ? value : [value]
  const docs: IngestDocument[] = []
  for (const v of values) {
    let ref: FileRef
    try {
      ref = (await files.open(v, p.fileField)).ref
    } catch (err) {
      throw fileError(err, 'fileField', index)
    }
    // One key or title for several files would make them one document: each adds its file's name.
    const several = values.length > 1
    const key = p.key.trim() ? (several ? `${p.key.trim()}/${ref.name}` : p.key.trim()) : ref.name
    const title = p.title.trim() ? (several ? `${p.title.trim()} (${ref.name})` : p.title.trim()) : ref.name
    docs.push({ key, title, file: documentFile(files, ref, p.fileField, index), metadata: metadataOf(item, p) })
  }
  return docs
}
