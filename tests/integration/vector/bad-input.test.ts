// Bad input on the real stores: each a clear error naming the field, refused before anything is written (and
// mostly before anything is embedded); what was saved before stays saved and searchable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VectorScope } from '../../../lib/vector/types'
import { documentFile, MB, refusal, unreadableFile } from '../../unit/vector/document-files'
import { buildPdf } from '../../unit/vector/pdf-builder'
import { tenant, vectorBed, type VectorBed } from './setup'

let bed: VectorBed
const scope: VectorScope = tenant()

const pdfFile = (name: string, bytes: Buffer) => documentFile(name, bytes, 'application/pdf')

/** What a later look sees: the collection's counts, the documents' keys and titles, and a search for `query`. */
async function snapshot(query: string) {
  const info = await bed.host.getCollection(scope, 'kb')
  const docs = await bed.host.listDocuments(scope, 'kb')
  const hits = await bed.host.search(scope, 'kb', { query, mode: 'keyword', topK: 10 })
  return { counts: [info?.documentCount, info?.chunkCount], docs: docs.documents.map((d) => [d.key, d.title, d.updatedAt]), hits: hits.hits.map((h) => h.text) }
}

beforeAll(async () => {
  bed = await vectorBed({ maxDocumentBytes: 50 * MB, maxQueryChars: 8000 })
  await bed.host.createCollection(scope, { name: 'kb', embedding: 'fake-embed', dimension: 64 })
  await bed.host.ingest(scope, 'kb', [{ key: 'manual', title: 'Manual v1', text: 'Version one of the manual: press the red button.', metadata: { lang: 'en' } }])
})
afterAll(async () => {
  await bed?.teardown()
})

describe('files', () => {
  it('ingests a PDF page by page and finds its text', async () => {
    const pdf = buildPdf([{ lines: ['Installation guide', 'Unscrew the lid before filling.'] }, { lines: ['Warranty: two years.'] }], { title: 'Guide' })
    const [r] = await bed.host.ingest(scope, 'kb', [{ key: 'guide.pdf', file: pdfFile('guide.pdf', pdf) }])
    expect(r).toMatchObject({ status: 'added', chunks: 1 })
    const hits = await bed.host.search(scope, 'kb', { query: 'warranty', mode: 'keyword' })
    expect(hits.hits[0]).toMatchObject({ documentKey: 'guide.pdf', title: 'Guide', text: 'Installation guide\nUnscrew the lid before filling.\n\nWarranty: two years.' })
    expect((await bed.host.listDocuments(scope, 'kb', { search: 'guide' })).documents[0]).toMatchObject({ mimeType: 'application/pdf' })
    await bed.host.delete(scope, 'kb', { keys: ['guide.pdf'] })
  })

  it('refuses a 500 MB PDF at once, by its size, without reading it', async () => {
    const before = await snapshot('manual')
    const calls = bed.embed.calls.length
    const huge = unreadableFile('huge.pdf', 'application/pdf', 500 * MB)
    const err = await refusal(bed.host.ingest(scope, 'kb', [{ key: 'ok', text: 'fine' }, { key: 'huge', file: huge }]))
    expect(err).toMatchObject({ code: 'VECTOR_DOCUMENT_TOO_LARGE', status: 413, field: 'documents[1].file' })
    expect(bed.embed.calls.length).toBe(calls)
    expect(await snapshot('manual')).toEqual(before)
  })

  it('refuses a PDF of images only (a scan), writing nothing of its batch', async () => {
    const before = await snapshot('fine')
    const scan = buildPdf([{ image: true }, { image: true }, { image: true }])
    const err = await refusal(bed.host.ingest(scope, 'kb', [{ key: 'fine', text: 'A fine document.' }, { key: 'scan.pdf', file: pdfFile('scan.pdf', scan) }]))
    expect(err).toMatchObject({ code: 'PDF_NO_TEXT', status: 422, field: 'documents[1].file' })
    expect(err.message).toMatch(/3 pages of images only.*OCR is not supported/)
    expect(await snapshot('fine')).toEqual(before)
  })

  it('creates no collection when the ingest that would create it is refused', async () => {
    const s = tenant()
    const create = { embedding: 'fake-embed', chunkSize: 100, chunkOverlap: 10 }
    const scan = pdfFile('scan.pdf', buildPdf([{ image: true }]))
    expect(await refusal(bed.host.ingest(s, 'new', [{ key: 'a', text: 'Fine.' }, { key: 'scan', file: scan }], { create }))).toMatchObject({ code: 'PDF_NO_TEXT' })
    expect(await bed.host.listCollections(s)).toEqual([])
    const [r] = await bed.host.ingest(s, 'new', [{ key: 'a', text: 'Fine.' }], { create })
    expect(r.status).toBe('added')
    expect(await bed.host.getCollection(s, 'new')).toMatchObject({ chunkSize: 100, chunkOverlap: 10, documentCount: 1, dimension: 64 })
  })

  it('refuses a password-protected or broken PDF', async () => {
    expect(await refusal(bed.host.ingest(scope, 'kb', [{ key: 'locked.pdf', file: pdfFile('locked.pdf', buildPdf([{ lines: ['x'] }], { encrypted: true })) }]))).toMatchObject({ code: 'PDF_ENCRYPTED', field: 'documents[0].file' })
    expect(await refusal(bed.host.ingest(scope, 'kb', [{ key: 'bad.pdf', file: pdfFile('bad.pdf', Buffer.from('%PDF-1.7 nothing else')) }]))).toMatchObject({ code: 'PDF_INVALID', field: 'documents[0].file' })
  })
})

describe('embeddings', () => {
  it('refuses an embedding of the wrong dimension, and the old version stays searchable', async () => {
    const before = await snapshot('manual')
    bed.embed.script({ wrongDimension: 32 })
    const err = await refusal(bed.host.ingest(scope, 'kb', [{ key: 'manual', title: 'Manual v2', text: 'Version two of the manual: press the green lever.' }]))
    expect(err).toMatchObject({ code: 'VECTOR_EMBEDDING_DIMENSION', status: 502, field: 'embedding', details: { expected: 64, got: 32 } })
    expect(await snapshot('manual')).toEqual(before)
    const vector = await bed.host.search(scope, 'kb', { query: 'red button', mode: 'vector', topK: 1 })
    expect(vector.hits[0]).toMatchObject({ documentKey: 'manual', title: 'Manual v1' })
    // The provider recovers: the same ingest goes through and replaces the document.
    const [r] = await bed.host.ingest(scope, 'kb', [{ key: 'manual', title: 'Manual v2', text: 'Version two of the manual: press the green lever.' }])
    expect(r.status).toBe('replaced')
    expect((await bed.host.search(scope, 'kb', { query: 'lever', mode: 'keyword' })).hits[0]).toMatchObject({ title: 'Manual v2' })
  })

  it('keeps everything as it was when the provider fails mid-batch', async () => {
    const before = await snapshot('manual')
    bed.embed.script({ fail: new Error('provider down') })
    await expect(bed.host.ingest(scope, 'kb', [{ key: 'new', text: 'Brand new.' }, { key: 'manual', text: 'Version three.' }])).rejects.toThrow('provider down')
    expect(await snapshot('manual')).toEqual(before)
  })
})

describe('requests', () => {
  it('refuses a query of 100,000 characters before embedding it', async () => {
    const calls = bed.embed.calls.length
    const err = await refusal(bed.host.search(scope, 'kb', { query: 'why '.repeat(25_000) }))
    expect(err).toMatchObject({ code: 'VECTOR_QUERY_TOO_LONG', status: 400, field: 'query' })
    expect(err.message).toMatch(/100000 characters is over the limit of 8000/)
    expect(bed.embed.calls.length).toBe(calls)
  })

  it.each<[string, unknown, string]>([
    ['an empty query', { query: '  ' }, 'query'],
    ['an unknown mode', { query: 'x', mode: 'fuzzy' }, 'mode'],
    ['topK 0', { query: 'x', topK: 0 }, 'topK'],
    ['topK 101', { query: 'x', topK: 101 }, 'topK'],
    ['a minScore that is not a number', { query: 'x', minScore: 'high' }, 'minScore'],
    ['a re-rank without a target', { query: 'x', rerank: {} }, 'rerank.target'],
    ['fewer re-rank candidates than hits', { query: 'x', topK: 10, rerank: { target: 'judge', candidates: 5 } }, 'rerank.candidates'],
  ])('refuses %s, naming the field', async (_name, req, field) => {
    expect(await refusal(bed.host.search(scope, 'kb', req as never))).toMatchObject({ code: 'VECTOR_INVALID', status: 400, field })
  })

  it('refuses a metadata value of another type than the field holds, naming metadata.<key>', async () => {
    const before = await snapshot('manual')
    const calls = bed.embed.calls.length
    const err = await refusal(bed.host.ingest(scope, 'kb', [{ key: 'other', text: 'Other text.', metadata: { lang: 7 } }]))
    expect(err).toMatchObject({ code: 'VECTOR_FIELD_TYPE', field: 'metadata.lang' })
    expect(await refusal(bed.host.ingest(scope, 'kb', [{ key: 'a', text: 'A', metadata: { year: 1 } }, { key: 'b', text: 'B', metadata: { year: 'two' } }]))).toMatchObject({ code: 'VECTOR_FIELD_TYPE', field: 'metadata.year' })
    expect(bed.embed.calls.length).toBe(calls)
    expect(await snapshot('manual')).toEqual(before)
  })

  it.each<[string, unknown, string]>([
    ['no documents', [], 'documents'],
    ['a document without a key', [{ text: 'x' }], 'documents[0].key'],
    ['a key given twice', [{ key: 'a', text: 'x' }, { key: 'a', text: 'y' }], 'documents[1].key'],
    ['metadata that is a list', [{ key: 'a', text: 'x', metadata: [1] }], 'documents[0].metadata'],
    ['an unsupported file type', [{ key: 'a', file: { name: 'x.png', mimeType: 'image/png', size: 1, read: async () => Buffer.from('x') } }], 'documents[0].mimeType'],
  ])('refuses %s', async (_name, docs, field) => {
    expect(await refusal(bed.host.ingest(scope, 'kb', docs as never))).toMatchObject({ field })
  })

  it('refuses a collection spec that cannot work, naming the field', async () => {
    const s = tenant()
    for (const [spec, field] of [
      [{ name: '', embedding: 'e' }, 'name'],
      [{ name: 'x/../y', embedding: 'e' }, 'name'],
      [{ name: 'ok', embedding: '' }, 'embedding'],
      [{ name: 'ok', embedding: 'e', chunkSize: 10 }, 'chunkSize'],
      [{ name: 'ok', embedding: 'e', chunkSize: 100, chunkOverlap: 80 }, 'chunkOverlap'],
      [{ name: 'ok', embedding: 'e', dimension: 0 }, 'dimension'],
    ] as const) {
      expect(await refusal(bed.host.createCollection(s, spec as never))).toMatchObject({ code: 'VECTOR_INVALID', field })
    }
    await bed.host.createCollection(s, { name: 'twice', embedding: 'e' })
    expect(await refusal(bed.host.createCollection(s, { name: 'twice', embedding: 'e' }))).toMatchObject({ code: 'VECTOR_COLLECTION_EXISTS', status: 409, field: 'name' })
    expect(await refusal(bed.host.ingest(s, 'missing', [{ key: 'a', text: 'x' }]))).toMatchObject({ code: 'VECTOR_COLLECTION_NOT_FOUND', status: 404 })
  })
})
