// Ingest and search end to end on real PostgreSQL and LanceDB: the three search modes, re-ingest (replaced,
// unchanged at no cost, only changed chunks embedded), listing documents and chunks, deletes, tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VectorScope } from '../../../lib/vector/types'
import { tenant, vectorBed, type VectorBed } from './setup'

let bed: VectorBed
const scope: VectorScope = tenant()

const docs = [
  { key: 'cats', title: 'Cats', text: 'Cats are small domesticated felines. A cat purrs when content and sleeps most of the day.', metadata: { kind: 'animal', legs: 4 } },
  { key: 'rust', title: 'Rust', text: 'Rust is a systems programming language focused on memory safety without a garbage collector.', metadata: { kind: 'language', legs: 0 } },
  { key: 'bread', title: 'Bread', text: 'Sourdough bread rises with wild yeast. Knead the dough, let it proof overnight, then bake it hot.', metadata: { kind: 'food', legs: 0 } },
]

beforeAll(async () => {
  bed = await vectorBed()
  await bed.host.createCollection(scope, { name: 'kb', embedding: 'fake-embed', chunkSize: 64, chunkOverlap: 8 })
})
afterAll(async () => {
  await bed?.teardown()
})

describe('ingest and search', () => {
  it('adds documents, then finds them by meaning, by keyword and by both', async () => {
    const results = await bed.host.ingest(scope, 'kb', docs)
    expect(results.map((r) => [r.key, r.status, r.chunks])).toEqual([['cats', 'added', 1], ['rust', 'added', 1], ['bread', 'added', 1]])
    expect(results.every((r) => Number(r.costUsd) > 0)).toBe(true)

    const vector = await bed.host.search(scope, 'kb', { query: 'a cat that purrs', mode: 'vector', topK: 2 })
    expect(vector.hits[0]).toMatchObject({ documentKey: 'cats', title: 'Cats', chunkIndex: 0, vectorRank: 1, keywordRank: null, metadata: { kind: 'animal', legs: 4 } })
    expect(vector.hits[0].score).toBeCloseTo(vector.hits[0].vectorScore!, 10)
    expect(vector.hits[0].score).toBeGreaterThan(vector.hits[1].score)
    expect(vector.usedIndex).toBe(false)
    expect(vector.embedding).toMatchObject({ deployment: 'fake-embed' })

    const keyword = await bed.host.search(scope, 'kb', { query: 'garbage collector', mode: 'keyword' })
    expect(keyword.hits.map((h) => h.documentKey)).toEqual(['rust'])
    expect(keyword.hits[0]).toMatchObject({ keywordRank: 1, vectorRank: null })
    expect(keyword.embedding).toBeUndefined()

    const hybrid = await bed.host.search(scope, 'kb', { query: 'sourdough yeast', topK: 3 })
    expect(hybrid.mode).toBe('hybrid')
    const top = hybrid.hits[0]
    expect(top.documentKey).toBe('bread')
    expect(top).toMatchObject({ vectorRank: 1, keywordRank: 1 })
    expect(top.fusedScore).toBeCloseTo(2 / 61, 10)
    expect(top.score).toBe(top.fusedScore)
  })

  it('skips an unchanged document without embedding anything; replaces a changed one', async () => {
    const before = bed.embed.inputs()
    const again = await bed.host.ingest(scope, 'kb', docs)
    expect(again.map((r) => [r.status, r.costUsd])).toEqual([['unchanged', '0'], ['unchanged', '0'], ['unchanged', '0']])
    expect(bed.embed.inputs()).toBe(before)

    const [changed] = await bed.host.ingest(scope, 'kb', [{ ...docs[2], text: 'Focaccia is a flat oven-baked Italian bread with olive oil and rosemary.' }])
    expect(changed.status).toBe('replaced')
    expect(bed.embed.inputs()).toBe(before + 1)
    const old = await bed.host.search(scope, 'kb', { query: 'sourdough', mode: 'keyword' })
    expect(old.hits).toEqual([])
    const found = await bed.host.search(scope, 'kb', { query: 'focaccia rosemary', mode: 'keyword' })
    expect(found.hits.map((h) => h.documentKey)).toEqual(['bread'])
  })

  it('re-embeds nothing when only the title or metadata change, and the new metadata is what filters see', async () => {
    const before = bed.embed.inputs()
    const [r] = await bed.host.ingest(scope, 'kb', [{ ...docs[0], title: 'Felines', metadata: { kind: 'pet', legs: 4 } }])
    expect(r).toMatchObject({ status: 'replaced', costUsd: '0' })
    expect(bed.embed.inputs()).toBe(before)
    const hits = await bed.host.search(scope, 'kb', { query: 'cat', mode: 'vector', topK: 5, filter: { kind: 'pet' } })
    expect(hits.hits.map((h) => [h.documentKey, h.title])).toEqual([['cats', 'Felines']])
  })

  it('lists documents by key in pages, and a document\'s chunks', async () => {
    const first = await bed.host.listDocuments(scope, 'kb', { limit: 2 })
    expect(first.documents.map((d) => d.key)).toEqual(['bread', 'cats'])
    const second = await bed.host.listDocuments(scope, 'kb', { limit: 2, cursor: first.nextCursor! })
    expect(second).toMatchObject({ documents: [{ key: 'rust', chunkCount: 1 }], nextCursor: null })
    expect((await bed.host.listDocuments(scope, 'kb', { search: 'FELI' })).documents.map((d) => d.key)).toEqual(['cats'])
    const chunks = await bed.host.listChunks(scope, 'kb', 'rust')
    expect(chunks).toEqual([{ chunkId: expect.stringMatching(/:0$/), chunkIndex: 0, text: docs[1].text, tokens: expect.any(Number) }])
    await expect(bed.host.listChunks(scope, 'kb', 'nope')).rejects.toMatchObject({ code: 'VECTOR_DOCUMENT_NOT_FOUND', field: 'documentKey' })
  })

  it('counts documents and chunks, and records the filterable fields with their types', async () => {
    const info = await bed.host.getCollection(scope, 'kb')
    expect(info).toMatchObject({ documentCount: 3, chunkCount: 3, dimension: 64, fields: { kind: 'string', legs: 'number' }, indexed: false })
  })
})

describe('tenant isolation', () => {
  it('never finds or searches a collection of another workspace with the same name', async () => {
    const other = tenant()
    expect(await bed.host.getCollection(other, 'kb')).toBeNull()
    await expect(bed.host.search(other, 'kb', { query: 'cat' })).rejects.toMatchObject({ code: 'VECTOR_COLLECTION_NOT_FOUND', status: 404 })
    await bed.host.createCollection(other, { name: 'kb', embedding: 'fake-embed' })
    await bed.host.ingest(other, 'kb', [{ key: 'cats', text: 'Tigers are large striped cats.' }])
    const theirs = await bed.host.search(other, 'kb', { query: 'cats purr', topK: 10 })
    expect(theirs.hits.map((h) => h.text)).toEqual(['Tigers are large striped cats.'])
    const ours = await bed.host.search(scope, 'kb', { query: 'tigers striped', topK: 10 })
    expect(ours.hits.map((h) => h.documentKey).sort()).toEqual(['bread', 'cats', 'rust'])
    expect(ours.hits.some((h) => h.text.includes('Tigers'))).toBe(false)
    expect((await bed.host.listCollections(other)).map((c) => [c.name, c.documentCount])).toEqual([['kb', 1]])
  })
})

describe('delete', () => {
  it('by keys, by filter, all, and the whole collection, with counts kept', async () => {
    const s = tenant()
    await bed.host.createCollection(s, { name: 'd', embedding: 'fake-embed' })
    await bed.host.ingest(s, 'd', Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, text: `Document number ${i} about topic ${i % 3}.`, metadata: { group: i % 3 } })))
    expect(await bed.host.delete(s, 'd', { keys: ['k0', 'missing'] })).toEqual({ documents: 1, chunks: 1 })
    expect(await bed.host.delete(s, 'd', { filter: { group: 1 } })).toEqual({ documents: 2, chunks: 2 })
    const left = await bed.host.search(s, 'd', { query: 'document', mode: 'keyword', topK: 10 })
    expect(left.hits.map((h) => h.documentKey).sort()).toEqual(['k2', 'k3', 'k5'])
    expect(await bed.host.getCollection(s, 'd')).toMatchObject({ documentCount: 3, chunkCount: 3 })
    expect(await bed.host.delete(s, 'd', { all: true })).toEqual({ documents: 3, chunks: 3 })
    expect((await bed.host.search(s, 'd', { query: 'document', topK: 10 })).hits).toEqual([])
    await bed.host.ingest(s, 'd', [{ key: 'again', text: 'Back again.' }])
    expect(await bed.host.delete(s, 'd', { dropCollection: true })).toEqual({ documents: 1, chunks: 1 })
    expect(await bed.host.getCollection(s, 'd')).toBeNull()
    await expect(bed.host.delete(s, 'kb', { keys: ['x'], all: true })).rejects.toMatchObject({ code: 'VECTOR_INVALID' })
  })
})
