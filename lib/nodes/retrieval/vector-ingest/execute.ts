// Ingest Documents: the page's items become documents, sent to the store in one `ingest` call per collection (the
// store embeds them in batches; a page whose items hold more files than one call takes is sent in several); the
// results come back out in the items' order.
import { NodeError, type Item } from '../../../engine/types'
import { MAX_DOCUMENTS } from '../../../vector/prepare'
import type { IngestDocument, IngestOptions } from '../../../vector/types'
import type { Executor } from '../../define'
import { vectorScope, withFields } from '../vectors'
import type { IngestParams } from './definition'
import { fileDocuments, textDocument } from './documents'

interface Batch {
  collection: string
  options: IngestOptions
  docs: IngestDocument[]
  /** Item index of each document, for errors. */
  items: number[]
  /** Output position of each document. */
  slots: number[]
}

/** The store's fields (`embedding`, `documents[3].file`…) as this node's params. */
const INGEST_FIELDS = {
  fields: { embedding: 'embeddingModel', dimension: 'dimensions', chunkSize: 'chunkSize', chunkOverlap: 'chunkOverlap', file: 'fileField', documents: 'source', mimeType: 'textType' },
  fallback: 'collection',
}

function createOptions(p: IngestParams): IngestOptions {
  if (!p.embeddingModel) return {}
  return { create: { embedding: p.embeddingModel, chunkSize: p.chunkSize, ...(p.chunkOverlap !== undefined ? { chunkOverlap: p.chunkOverlap } : {}), ...(p.dimensions ? { dimension: p.dimensions } : {}) } }
}

function checkUniqueKeys(batch: Batch): void {
  const first = new Map<string, number>()
  batch.docs.forEach((doc, i) => {
    const earlier = first.get(doc.key)
    if (earlier === undefined) return void first.set(doc.key, batch.items[i])
    throw new NodeError(`Items ${earlier} and ${batch.items[i]} both give the document key "${doc.key}" in collection "${batch.collection}": a key names one document`, {
      code: 'DUPLICATE_KEY',
      field: 'key',
      details: { items: [earlier, batch.items[i]], key: doc.key },
    })
  })
}

/** A batch as calls of at most `size` documents each. */
function slices(batch: Batch, size: number): Batch[] {
  const out: Batch[] = []
  for (let from = 0; from < batch.docs.length; from += size) {
    const part = (list: number[]) => list.slice(from, from + size)
    out.push({ ...batch, docs: batch.docs.slice(from, from + size), items: part(batch.items), slots: part(batch.slots) })
  }
  return out
}

/** A store error about `documents[n]` says which item and key it is about. */
function aboutItem(err: unknown, batch: Batch): unknown {
  const hostField = err instanceof NodeError && typeof err.details === 'object' && err.details !== null ? (err.details as { hostField?: unknown }).hostField : undefined
  const n = typeof hostField === 'string' ? /^documents\[(\d+)\]/.exec(hostField)?.[1] : undefined
  if (!(err instanceof NodeError) || n === undefined || !batch.docs[Number(n)]) return err
  const item = batch.items[Number(n)]
  const key = batch.docs[Number(n)].key
  return new NodeError(`${err.message} (item ${item}, document "${key}")`, { code: err.code, retryable: err.retryable, field: err.field, details: { ...(err.details as object), item, key }, cause: err })
}

export const execute: Executor<IngestParams, 'vectors' | 'files'> = async (ctx) => {
  const files = ctx.services.files.forRun(ctx)
  const batches = new Map<string, Batch>()
  let slot = 0
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    const docs = p.source === 'file' ? await fileDocuments(files, ctx.items[i], p, index) : [textDocument(ctx.items[i], p, index)]
    let batch = batches.get(p.collection)
    if (!batch) batches.set(p.collection, (batch = { collection: p.collection, options: createOptions(p), docs: [], items: [], slots: [] }))
    for (const doc of docs) {
      batch.docs.push(doc)
      batch.items.push(index)
      batch.slots.push(slot++)
    }
  }
  for (const batch of batches.values()) checkUniqueKeys(batch)
  const calls = [...batches.values()].flatMap((b) => slices(b, MAX_DOCUMENTS))

  const out: Item[] = new Array(slot)
  const scope = vectorScope(ctx)
  for (const batch of calls) {
    const results = await withFields(INGEST_FIELDS, () => ctx.services.vectors.ingest(scope, batch.collection, batch.docs, batch.options)).catch((err) => {
      throw aboutItem(err, batch)
    })
    const byKey = new Map(results.map((r) => [r.key, r]))
    batch.docs.forEach((doc, i) => {
      const r = byKey.get(doc.key)
      if (!r) throw new NodeError(`The vector store returned no result for document "${doc.key}"`, { code: 'INGEST_INCOMPLETE', retryable: true, field: 'collection' })
      out[batch.slots[i]] = { collection: batch.collection, key: r.key, documentId: r.documentId, title: doc.title ?? r.key, status: r.status, chunks: r.chunks, tokens: r.tokens, costUsd: r.costUsd }
    })
  }
  return { main: out }
}
