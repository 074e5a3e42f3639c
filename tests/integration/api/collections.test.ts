// The collections API on real PostgreSQL, a temp-dir LanceDB and the AI router embedding through the fake OpenAI-format
// embeddings server: roles, validation naming the field, documents as JSON and as uploaded files (Markdown, HTML, a
// PDF; a scan and an oversize file refused), the ledger attributing embeddings to the caller's key, chunks under keys
// with slashes, the three search modes with their ranks, deleting, and another workspace seeing none of it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PrismaClient } from '../../../lib/db/client'
import type { SearchHit } from '../../../lib/vector/types'
import { getAiRouter } from '../../../lib/ai/service'
import { closeWebVectors } from '../../../lib/services/vectors'
import { startFakeEmbeddings, type FakeEmbeddings } from '../../fakes/embeddings'
import { addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { buildPdf } from '../../unit/vector/pdf-builder'
import { call } from '../backbone/support'
import * as collectionsRoute from '../../../app/api/collections/route'
import * as collectionRoute from '../../../app/api/collections/[name]/route'
import * as documentsRoute from '../../../app/api/collections/[name]/documents/route'
import * as chunksRoute from '../../../app/api/collections/[name]/documents/[key]/chunks/route'
import * as queryRoute from '../../../app/api/collections/[name]/query/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeEmbeddings
let storeDir: string
let a: SeededTenant, b: SeededTenant, viewer: SeededTenant, editor: SeededTenant

const DIM = 64
const NAME = 'Help center'

/** An embedding model and its deployment in the AI registry, pointing at the fake server. */
async function seedEmbedding(prisma: PrismaClient, tenantId: string) {
  const model = await prisma.aiModel.create({ data: { tenantId, name: 'fake-embed', provider: 'openaiCompatible', modelId: 'fake-embed', kind: 'embedding', dimensions: DIM, inputPriceMicros: 20_000n } })
  await prisma.aiDeployment.create({ data: { tenantId, name: 'embedder', aiModelId: model.id, baseUrl: fake.v1, timeoutMs: 10_000 } })
}

const DOCS = [
  { key: 'guides/refunds.md', title: 'Refunds', mimeType: 'text/markdown', text: '# Refunds\n\nA refund is paid back to the card within five working days after the parcel arrives at our warehouse.', metadata: { lang: 'en', year: 2024 } },
  { key: 'guides/shipping.md', title: 'Shipping', mimeType: 'text/markdown', text: '# Shipping\n\nParcels leave the warehouse every weekday and are delivered in two to four days.', metadata: { lang: 'en', year: 2023 } },
  { key: 'faq/konto.txt', title: 'Konto', text: 'Das Passwort des Kontos kann jederzeit in den Einstellungen geändert werden.', metadata: { lang: 'de', year: 2024 } },
]

const headers = (who: SeededTenant) => who.headers
const pdf = (...args: Parameters<typeof buildPdf>) => new Uint8Array(buildPdf(...args))
const enc = encodeURIComponent

type Route = Parameters<typeof call>[0]

function get(handler: Route, who: SeededTenant, url: string, params: Record<string, string> = {}) {
  return call(handler, { url, headers: headers(who), params })
}
function send(handler: Route, who: SeededTenant, method: 'POST' | 'DELETE', body: unknown, params: Record<string, string> = {}) {
  return call(handler, { method, body, headers: headers(who), params })
}

/** A multipart upload as a browser's FormData sends it. */
async function upload(who: SeededTenant, name: string, files: Array<{ name: string; type: string; text: string | Uint8Array<ArrayBuffer> }>, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  for (const f of files) form.append('files', new Blob([f.text], { type: f.type }), f.name)
  const res = await documentsRoute.POST(new Request('http://localhost/', { method: 'POST', body: form, headers: headers(who) }), { params: Promise.resolve({ name }) })
  return { status: res.status, json: await res.json() }
}

beforeAll(async () => {
  fake = await startFakeEmbeddings({ dim: DIM })
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collections-api-'))
  t = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: new URL(fake.v1).host, AUTERITY_VECTOR_URI: storeDir, AUTERITY_VECTOR_MAX_DOCUMENT_MB: '1' })
  ;[a, b] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' })])
  ;[viewer, editor] = await Promise.all([addMember(t.db.prisma, a, 'viewer'), addMember(t.db.prisma, a, 'editor')])
  await Promise.all([seedEmbedding(t.db.prisma, a.tenantId), seedEmbedding(t.db.prisma, b.tenantId)])
})
afterAll(async () => {
  await closeWebVectors()
  await t?.teardown()
  await fake?.close()
  if (storeDir) fs.rmSync(storeDir, { recursive: true, force: true })
})

describe('collections', () => {
  it('lets editors create a collection and viewers read it; the dimension comes from the deployment', async () => {
    expect((await send(collectionsRoute.POST, viewer, 'POST', { name: NAME, embedding: 'embedder' })).status).toBe(403)
    const created = await send(collectionsRoute.POST, editor, 'POST', { name: NAME, description: 'Answers for customers', embedding: 'embedder', chunkSize: 64, chunkOverlap: 8 })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ name: NAME, embedding: 'embedder', dimension: DIM, chunkSize: 64, chunkOverlap: 8, documentCount: 0, indexed: false })
    const list = await get(collectionsRoute.GET, viewer, '/api/collections')
    expect(list.json.collections.map((c: { name: string }) => c.name)).toEqual([NAME])
    expect((await get(collectionRoute.GET, viewer, '/', { name: NAME })).json).toMatchObject({ name: NAME, description: 'Answers for customers' })
    expect((await call(collectionsRoute.GET, { url: '/api/collections' })).status).toBe(401)
  })

  it.each([
    ['no embedding', { name: 'x' }, 'embedding'],
    ['an unknown embedding deployment', { name: 'x', embedding: 'nope' }, 'embedding'],
    ['a name with a slash', { name: 'a/b', embedding: 'embedder' }, 'name'],
    ['a chunk size of text', { name: 'x', embedding: 'embedder', chunkSize: 'big' }, 'chunkSize'],
    ['an overlap as large as the chunk', { name: 'x', embedding: 'embedder', chunkSize: 64, chunkOverlap: 64 }, 'chunkOverlap'],
  ])('refuses %s with a 400 naming the field', async (_, body, field) => {
    const res = await send(collectionsRoute.POST, a, 'POST', body)
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty(field)
  })

  it('refuses a second collection of the same name', async () => {
    expect((await send(collectionsRoute.POST, a, 'POST', { name: NAME, embedding: 'embedder' })).status).toBe(409)
  })
})

describe('documents', () => {
  it('adds documents as JSON (editors only); the same content again is unchanged', async () => {
    expect((await send(documentsRoute.POST, viewer, 'POST', { documents: DOCS }, { name: NAME })).status).toBe(403)
    const added = await send(documentsRoute.POST, editor, 'POST', { documents: DOCS }, { name: NAME })
    expect(added.status).toBe(200)
    expect(added.json.results.map((r: { key: string; status: string }) => [r.key, r.status])).toEqual(DOCS.map((d) => [d.key, 'added']))
    expect(added.json.results.every((r: { chunks: number; tokens: number }) => r.chunks > 0 && r.tokens > 0)).toBe(true)
    // The embedding calls are on the AI ledger as the API's, under the editor's key.
    const key = await t.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: a.tenantId, userId: editor.userId } })
    await getAiRouter().ledger.flush()
    expect(await t.db.prisma.aiUsage.count({ where: { tenantId: a.tenantId, source: 'api', apiKeyId: key.id } })).toBeGreaterThan(0)
    const again = await send(documentsRoute.POST, editor, 'POST', { documents: DOCS.slice(0, 1) }, { name: NAME })
    expect(again.json.results[0]).toMatchObject({ status: 'unchanged', costUsd: '0' })
    expect((await get(collectionRoute.GET, viewer, '/', { name: NAME })).json).toMatchObject({ documentCount: 3, fields: { lang: 'string', year: 'number' } })
  })

  it('names the bad document field', async () => {
    const res = await send(documentsRoute.POST, a, 'POST', { documents: [{ key: 'k', text: '' }] }, { name: NAME })
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty('documents.0.text')
    const wrongType = await send(documentsRoute.POST, a, 'POST', { documents: [{ key: 'k', text: 'x', metadata: { year: 'last year' } }] }, { name: NAME })
    expect(wrongType.status).toBe(400)
    expect(Object.keys(wrongType.json.error.fields).join()).toMatch(/metadata\.year/)
  })

  it('lists documents in pages, searches keys and titles', async () => {
    const first = await get(documentsRoute.GET, viewer, '/?limit=2', { name: NAME })
    expect(first.status).toBe(200)
    expect(first.json.documents).toHaveLength(2)
    expect(first.json.nextCursor).toEqual(expect.any(String))
    const second = await get(documentsRoute.GET, viewer, `/?limit=2&cursor=${enc(first.json.nextCursor)}`, { name: NAME })
    const keys = [...first.json.documents, ...second.json.documents].map((d: { key: string }) => d.key)
    expect(keys.sort()).toEqual(DOCS.map((d) => d.key).sort())
    expect(second.json.nextCursor).toBeNull()
    const found = await get(documentsRoute.GET, viewer, '/?search=refund', { name: NAME })
    expect(found.json.documents).toEqual([expect.objectContaining({ key: 'guides/refunds.md', title: 'Refunds', mimeType: 'text/markdown', metadata: { lang: 'en', year: 2024 } })])
    expect((await get(documentsRoute.GET, viewer, '/?limit=0', { name: NAME })).json.error.fields).toHaveProperty('limit')
  })

  it("shows a document's chunks under a key with slashes; an unknown key is a 404", async () => {
    const res = await get(chunksRoute.GET, viewer, '/', { name: NAME, key: 'guides/refunds.md' })
    expect(res.status).toBe(200)
    expect(res.json.chunks.length).toBeGreaterThan(0)
    expect(res.json.chunks[0]).toMatchObject({ chunkIndex: 0, text: expect.stringContaining('refund'), tokens: expect.any(Number) })
    expect((await get(chunksRoute.GET, viewer, '/', { name: NAME, key: 'guides/none.md' })).status).toBe(404)
  })

  it('takes uploaded files as documents keyed by their names, with the form metadata, and keeps none of the files', async () => {
    const res = await upload(editor, NAME, [
      { name: 'returns.md', type: 'text/markdown', text: '# Returns\n\nReturn an item within thirty days for a full refund.' },
      { name: 'hours.html', type: 'text/html', text: '<html><body><h1>Opening hours</h1><p>We answer the phone from nine to five.</p><script>alert(1)</script></body></html>' },
      { name: 'warranty.pdf', type: 'application/pdf', text: pdf([{ lines: ['Warranty', 'Every device carries a two year warranty.'] }], { title: 'Warranty terms' }) },
    ], { keyPrefix: 'uploads/', metadata: JSON.stringify({ lang: 'en', year: 2025 }) })
    expect(res.status).toBe(200)
    expect(res.json.results.map((r: { key: string; status: string }) => [r.key, r.status])).toEqual([['uploads/returns.md', 'added'], ['uploads/hours.html', 'added'], ['uploads/warranty.pdf', 'added']])
    const pdfDoc = (await get(documentsRoute.GET, viewer, '/?search=warranty', { name: NAME })).json.documents[0]
    expect(pdfDoc).toMatchObject({ key: 'uploads/warranty.pdf', title: 'Warranty terms', mimeType: 'application/pdf', metadata: { lang: 'en', year: 2025 } })
    const chunks = await get(chunksRoute.GET, viewer, '/', { name: NAME, key: 'uploads/hours.html' })
    expect(chunks.json.chunks.map((c: { text: string }) => c.text).join(' ')).not.toContain('alert')
    expect(await t.db.prisma.file.count()).toBe(0)
  })

  it('refuses bad uploads with the field named, storing nothing', async () => {
    const before = (await get(collectionRoute.GET, a, '/', { name: NAME })).json.documentCount
    const badMeta = await upload(a, NAME, [{ name: 'x.txt', type: 'text/plain', text: 'x' }], { metadata: '{nope' })
    expect(badMeta.status).toBe(400)
    expect(badMeta.json.error.fields).toHaveProperty('metadata')
    const tooBig = await upload(a, NAME, [{ name: 'big.txt', type: 'text/plain', text: new Uint8Array(1024 * 1024 + 10).fill(97) }])
    expect(tooBig.status).toBe(413)
    const scan = await upload(a, NAME, [{ name: 'ok.md', type: 'text/markdown', text: '# Fine' }, { name: 'scan.pdf', type: 'application/pdf', text: pdf([{ image: true }]) }])
    expect(scan.status).toBe(422)
    expect(scan.json.error).toMatchObject({ code: 'PDF_NO_TEXT', fields: { 'documents[1].file': expect.any(String) } })
    const none = await upload(a, NAME, [], { keyPrefix: 'x/' })
    expect(none.status).toBe(400)
    expect((await get(collectionRoute.GET, a, '/', { name: NAME })).json.documentCount).toBe(before)
    expect(await t.db.prisma.file.count()).toBe(0)
  })
})

describe('queries', () => {
  const query = (who: SeededTenant, body: Record<string, unknown>) => send(queryRoute.POST, who, 'POST', body, { name: NAME })

  it('answers a hybrid query with each list\u2019s rank and score and the fused score (viewers may query)', async () => {
    const res = await query(viewer, { query: 'refund paid back to the card', mode: 'hybrid', topK: 3 })
    expect(res.status).toBe(200)
    expect(res.json.mode).toBe('hybrid')
    const hits: SearchHit[] = res.json.hits
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.length).toBeLessThanOrEqual(3)
    expect(hits[0]).toMatchObject({ documentKey: 'guides/refunds.md', title: 'Refunds', vectorRank: 1, keywordRank: 1 })
    for (const h of hits) expect(h.score).toBe(h.fusedScore)
    expect(hits.map((h) => h.score)).toEqual(hits.map((h) => h.score).sort((x, y) => y - x))
    // Reciprocal rank fusion (k = 60) of the two ranks, as the page explains it.
    expect(hits[0].fusedScore).toBeCloseTo(2 / 61, 6)
  })

  it.each([
    ['vector', 'vectorScore'],
    ['keyword', 'keywordScore'],
  ])('answers a %s query scored by its own list', async (mode, scoreField) => {
    const res = await query(a, { query: 'parcels delivered', mode, topK: 2 })
    expect(res.status).toBe(200)
    const hits: SearchHit[] = res.json.hits
    expect(hits.map((h) => h.score)).toEqual(hits.map((h) => h.score).sort((x, y) => y - x))
    expect(hits[0].documentKey).toBe('guides/shipping.md')
    expect(hits[0].score).toBe(hits[0][scoreField as 'vectorScore' | 'keywordScore'])
  })

  it('filters on metadata inside the search', async () => {
    const res = await query(a, { query: 'password', mode: 'vector', topK: 10, filter: { lang: 'de' } })
    expect(res.json.hits.map((h: { documentKey: string }) => h.documentKey)).toEqual(['faq/konto.txt'])
    const range = await query(a, { query: 'refund', mode: 'vector', topK: 10, filter: { year: { gte: 2025 } } })
    expect(new Set(range.json.hits.map((h: { documentKey: string }) => h.documentKey))).toEqual(new Set(['uploads/returns.md', 'uploads/hours.html', 'uploads/warranty.pdf']))
  })

  it.each([
    ['an unknown filter field', { query: 'x', filter: { colour: 'red' } }, 'filter.colour'],
    ['an unknown filter operator', { query: 'x', filter: { year: { like: 2 } } }, 'filter.year'],
    ['a mode that does not exist', { query: 'x', mode: 'fuzzy' }, 'mode'],
    ['topK 0', { query: 'x', topK: 0 }, 'topK'],
    ['an empty query', { query: ' ' }, 'query'],
    ['a query of 100,000 characters', { query: 'word '.repeat(20_000) }, 'query'],
  ])('refuses %s with a 400 naming it', async (_, body, field) => {
    const res = await query(a, body)
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty(field)
  })
})

describe('workspaces', () => {
  it("never shows another workspace's collection: every route answers 404", async () => {
    expect((await get(collectionsRoute.GET, b, '/api/collections')).json.collections).toEqual([])
    const params = { name: NAME }
    expect((await get(collectionRoute.GET, b, '/', params)).status).toBe(404)
    expect((await get(documentsRoute.GET, b, '/', params)).status).toBe(404)
    expect((await get(chunksRoute.GET, b, '/', { ...params, key: 'guides/refunds.md' })).status).toBe(404)
    expect((await send(queryRoute.POST, b, 'POST', { query: 'refund' }, params)).status).toBe(404)
    expect((await send(documentsRoute.POST, b, 'POST', { documents: DOCS }, params)).status).toBe(404)
    expect((await send(documentsRoute.DELETE, b, 'DELETE', { all: true }, params)).status).toBe(404)
    expect((await send(collectionRoute.DELETE, b, 'DELETE', undefined, params)).status).toBe(404)
    expect((await get(collectionRoute.GET, a, '/', params)).json.documentCount).toBe(6)
  })

  it('keeps two collections of the same name apart', async () => {
    expect((await send(collectionsRoute.POST, b, 'POST', { name: NAME, embedding: 'embedder' })).status).toBe(201)
    await send(documentsRoute.POST, b, 'POST', { documents: [{ key: 'b-only', text: 'A refund in workspace B' }] }, { name: NAME })
    const hits = (await send(queryRoute.POST, a, 'POST', { query: 'refund', mode: 'keyword', topK: 10 }, { name: NAME })).json.hits
    expect(hits.map((h: { documentKey: string }) => h.documentKey)).not.toContain('b-only')
  })
})

describe('deleting', () => {
  it('deletes documents by keys and by filter (editors only), then the collection', async () => {
    const params = { name: NAME }
    expect((await send(documentsRoute.DELETE, viewer, 'DELETE', { keys: ['faq/konto.txt'] }, params)).status).toBe(403)
    expect((await send(documentsRoute.DELETE, editor, 'DELETE', {}, params)).json.error.fields).toHaveProperty('keys')
    const byKey = await send(documentsRoute.DELETE, editor, 'DELETE', { keys: ['faq/konto.txt'] }, params)
    expect(byKey.json).toMatchObject({ documents: 1, chunks: expect.any(Number) })
    const byFilter = await send(documentsRoute.DELETE, editor, 'DELETE', { filter: { year: 2025 } }, params)
    expect(byFilter.json.documents).toBe(3)
    expect((await get(collectionRoute.GET, a, '/', params)).json.documentCount).toBe(2)
    const dropped = await send(collectionRoute.DELETE, editor, 'DELETE', undefined, params)
    expect(dropped.status).toBe(200)
    expect((await get(collectionRoute.GET, a, '/', params)).status).toBe(404)
    expect((await get(collectionRoute.GET, b, '/', params)).status).toBe(200)
  })
})
