// The ANN index: built once a collection passes the threshold, and vector search returns the same ids in the same
// order as the exact scan did before it; rows written after the build are found (by scan until folded in), and so
// are rows written after the table's indexes were optimized.
import * as lancedb from '@lancedb/lancedb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tableName } from '../../../lib/vector/store'
import type { VectorHostWithClose } from '../../../lib/vector/host'
import { tenant, vectorBed, type VectorBed } from './setup'

const WORDS = 'alpha beta gamma delta epsilon zeta theta kappa lambda sigma river mountain ocean forest desert city village road bridge tower castle garden harbor meadow canyon glacier island valley prairie volcano'.split(' ')
let seed = 7
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
const phrase = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')

const N = 400
const docs = Array.from({ length: N }, (_, i) => ({ key: `p${i}`, text: `${phrase(6)} item${i}`, metadata: { n: i } }))
const queries = Array.from({ length: 20 }, () => phrase(3))

let bed: VectorBed
let indexing: VectorHostWithClose
const scope = tenant()
let exact: string[][]

async function rawTable(): Promise<lancedb.Table> {
  const info = (await bed.host.getCollection(scope, 'ann'))!
  return (await lancedb.connect(bed.dir)).openTable(tableName(info.id))
}

const topIds = async (host: VectorHostWithClose, query: string) => {
  const res = await host.search(scope, 'ann', { query, mode: 'vector', topK: 10 })
  return { ids: res.hits.map((h) => h.chunkId), usedIndex: res.usedIndex }
}

beforeAll(async () => {
  bed = await vectorBed({ indexThreshold: 1_000_000 })
  indexing = bed.another({ indexThreshold: 300 })
  await bed.host.createCollection(scope, { name: 'ann', embedding: 'fake-embed' })
  for (let i = 0; i < N; i += 100) await bed.host.ingest(scope, 'ann', docs.slice(i, i + 100))
  exact = []
  for (const q of queries) {
    const r = await topIds(bed.host, q)
    expect(r.usedIndex).toBe(false)
    exact.push(r.ids)
  }
})
afterAll(async () => {
  await bed?.teardown()
})

describe('ANN index', () => {
  it('is built by the write that finds the collection past the threshold', async () => {
    expect(await bed.host.getCollection(scope, 'ann')).toMatchObject({ chunkCount: N, indexed: false })
    const [r] = await indexing.ingest(scope, 'ann', [{ ...docs[0], metadata: { n: 0, touched: true } }])
    expect(r).toMatchObject({ status: 'replaced', costUsd: '0' })
    expect(await bed.host.getCollection(scope, 'ann')).toMatchObject({ chunkCount: N, indexed: true })
    const vectorIndex = (await (await rawTable()).listIndices()).find((i) => i.columns.includes('vector'))
    expect(vectorIndex?.indexType).toBe('IvfHnswSq')
  })

  it('returns the same ids in the same order as the exact scan', async () => {
    for (const [i, q] of queries.entries()) {
      for (const host of [indexing, bed.host]) {
        const r = await topIds(host, q)
        expect(r.usedIndex).toBe(true)
        expect(r.ids).toEqual(exact[i])
      }
    }
  })

  it('finds rows written after the build, by vector and by keyword', async () => {
    const later = Array.from({ length: 30 }, (_, i) => ({ key: `late${i}`, text: `${phrase(5)} zebra${i} newcomer` }))
    await indexing.ingest(scope, 'ann', later)
    for (const d of [later[0], later[17]]) {
      const res = await indexing.search(scope, 'ann', { query: d.text, mode: 'vector', topK: 1 })
      expect(res).toMatchObject({ usedIndex: true, hits: [{ documentKey: d.key }] })
      expect(res.hits[0].score).toBeCloseTo(1, 5)
    }
    const kw = await indexing.search(scope, 'ann', { query: 'zebra17', mode: 'keyword' })
    expect(kw.hits.map((h) => h.documentKey)).toEqual(['late17'])
    // Words found in older and newer rows: the newer row holding all of them ranks first, in one list by BM25 (rows
    // the full-text index did not cover were scored apart and lost behind a top 60 of indexed rows holding some).
    const mixed = await indexing.search(scope, 'ann', { query: later[3].text.replace(/ zebra.*/, ''), mode: 'keyword', topK: 60 })
    const scores = mixed.hits.map((h) => h.score)
    expect(mixed.hits[0].documentKey).toBe('late3')
    expect(mixed.hits.some((h) => !h.documentKey.startsWith('late'))).toBe(true)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(mixed.hits.map((h) => h.keywordRank)).toEqual(mixed.hits.map((_, i) => i + 1))
  })

  it('keeps finding new rows by keyword once optimize has folded earlier ones into the full-text index', async () => {
    for (let i = 0; i < 17; i++) await indexing.ingest(scope, 'ann', [{ key: `small${i}`, text: `${phrase(4)} unicorn${i}` }])
    const fts = (await (await rawTable()).listIndices()).find((i) => i.columns.includes('text'))!
    // Compaction ran (many small writes) and folded the rows into the full-text index.
    expect(fts.numIndexedRows).toBeGreaterThanOrEqual(N + 30)
    await indexing.ingest(scope, 'ann', [{ key: 'last', text: 'a lonely narwhal' }])
    expect((await indexing.search(scope, 'ann', { query: 'narwhal', mode: 'keyword' })).hits.map((h) => h.documentKey)).toEqual(['last'])
    expect((await indexing.search(scope, 'ann', { query: 'unicorn3', mode: 'keyword' })).hits.map((h) => h.documentKey)).toEqual(['small3'])
  })
})
