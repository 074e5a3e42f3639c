// Metadata filters on real LanceDB, checked against a brute-force expectation: the documents a filter selects are
// exactly those whose metadata satisfies it (JS evaluation), ranked exactly as cosine similarity computed here
// ranks them, top-k taken among the matches (prefiltered, not cut after). Injection attempts match literally or
// nothing, or are refused naming the field; they never widen the results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddingInput } from '../../../lib/vector/chunk'
import type { FilterCondition, MetaValue, SearchFilter } from '../../../lib/vector/types'
import { createEmbedder } from '../../fakes/embeddings'
import { DIM, tenant, vectorBed, type VectorBed } from './setup'

let bed: VectorBed
const scope = tenant()
const LANGS = ['en', 'fr', 'de', "o'brien"]
const TOPICS = ['river', 'mountain', 'ocean', 'forest', 'desert', 'city', 'garden', 'bridge']

interface Doc {
  key: string
  text: string
  metadata: Record<string, MetaValue>
}

const docs: Doc[] = Array.from({ length: 48 }, (_, i) => {
  const metadata: Record<string, MetaValue> = { year: 2015 + (i % 10), draft: i % 3 === 0, score: Math.round(((i * 37) % 100) / 3) / 10 }
  if (i % 5 !== 4) metadata.lang = LANGS[i % LANGS.length]
  return { key: `doc-${String(i).padStart(2, '0')}`, text: `Notes ${i} on the ${TOPICS[i % 8]} near the ${TOPICS[(i * 3) % 8]}, entry ${i}.`, metadata }
})

function satisfies(value: MetaValue | undefined, cond: FilterCondition): boolean {
  if (typeof cond !== 'object') return value === cond
  return Object.entries(cond).every(([op, c]) => {
    if (op === 'eq') return value === c
    if (op === 'ne') return value !== c
    if (op === 'in') return (c as MetaValue[]).includes(value as MetaValue)
    if (value === undefined) return false
    const [v, w] = [value as number | string, c as number | string]
    if (op === 'gt') return v > w
    if (op === 'gte') return v >= w
    if (op === 'lt') return v < w
    return v <= w
  })
}
const matches = (d: Doc, filter: SearchFilter) => Object.entries(filter).every(([k, c]) => satisfies(d.metadata[k], c))

const embedder = createEmbedder({ dim: DIM })
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0)
/** Cosine similarity of each document to the query, computed here from the same deterministic embedder. */
function similarities(query: string): Map<string, number> {
  const q = embedder.embed(query)
  return new Map(docs.map((d) => [d.key, cosine(q, embedder.embed(embeddingInput({ section: '', text: d.text })))]))
}

/** The brute-force check: exactly the matching documents (top-k of them), best first. Similarities equal to 1e-6
 * (float32 storage) may come in either order, so the order is checked as non-increasing similarity. */
function expectRanked(got: string[], query: string, filter: SearchFilter, topK: number) {
  const sim = similarities(query)
  const matching = docs.filter((d) => matches(d, filter)).map((d) => d.key)
  expect(got).toHaveLength(Math.min(topK, matching.length))
  expect(got.every((k) => matching.includes(k))).toBe(true)
  for (let i = 1; i < got.length; i++) expect(sim.get(got[i])!).toBeLessThanOrEqual(sim.get(got[i - 1])! + 1e-6)
  const worstKept = Math.min(...got.map((k) => sim.get(k)!))
  for (const k of matching.filter((k) => !got.includes(k))) expect(sim.get(k)!).toBeLessThanOrEqual(worstKept + 1e-6)
}

beforeAll(async () => {
  bed = await vectorBed()
  await bed.host.createCollection(scope, { name: 'f', embedding: 'fake-embed' })
  await bed.host.ingest(scope, 'f', docs)
})
afterAll(async () => {
  await bed?.teardown()
})

const FILTERS: [string, SearchFilter][] = [
  ['equals', { lang: 'fr' }],
  ['equals a string with a quote', { lang: "o'brien" }],
  ['not equal (documents without the field included)', { lang: { ne: 'en' } }],
  ['in', { lang: { in: ['en', 'de'] } }],
  ['a closed range', { year: { gte: 2017, lte: 2019 } }],
  ['an open range on decimals', { score: { gt: 1.5 } }],
  ['a boolean', { draft: true }],
  ['several fields', { lang: { in: ['en', 'fr', 'de'] }, year: { lt: 2020 }, draft: false }],
  ['a string range', { lang: { gte: 'd', lt: 'f' } }],
  ['nothing matches', { year: { gt: 3000 } }],
]

describe('filters are exact', () => {
  it.each(FILTERS)('vector search, %s', async (_name, filter) => {
    const res = await bed.host.search(scope, 'f', { query: 'ocean river notes', mode: 'vector', topK: 100, filter })
    expectRanked(res.hits.map((h) => h.documentKey), 'ocean river notes', filter, 100)
  })

  it.each(FILTERS)('keyword search, %s', async (_name, filter) => {
    const res = await bed.host.search(scope, 'f', { query: 'notes', mode: 'keyword', topK: 100, filter })
    expect(res.hits.map((h) => h.documentKey).sort()).toEqual(docs.filter((d) => matches(d, filter)).map((d) => d.key))
  })

  it('takes top-k among the matches (prefilter): matches ranked far from the query still fill the page', async () => {
    const filter: SearchFilter = { year: { gte: 2023 }, lang: { ne: 'en' } }
    const sim = similarities('desert city')
    const unfiltered = (await bed.host.search(scope, 'f', { query: 'desert city', mode: 'vector', topK: 3 })).hits.map((h) => h.documentKey)
    // The three nearest documents overall fail the filter: a filter applied after the search would return nothing.
    expect(unfiltered.some((k) => matches(docs.find((d) => d.key === k)!, filter))).toBe(false)
    for (const mode of ['vector', 'hybrid', 'keyword'] as const) {
      const res = await bed.host.search(scope, 'f', { query: mode === 'keyword' ? 'notes' : 'desert city', mode, topK: 3, filter })
      expect(res.hits).toHaveLength(3)
      expect(res.hits.every((h) => matches(docs.find((d) => d.key === h.documentKey)!, filter))).toBe(true)
    }
    const res = await bed.host.search(scope, 'f', { query: 'desert city', mode: 'vector', topK: 3, filter })
    expectRanked(res.hits.map((h) => h.documentKey), 'desert city', filter, 3)
    expect(sim.get(res.hits[0].documentKey)!).toBeLessThan(sim.get(unfiltered[2])!)
  })
})

describe('injection attempts', () => {
  it.each<[string, SearchFilter]>([
    ['a quote and OR in a value', { lang: "x' OR 1=1 --" }],
    ['a quote and OR in a list', { lang: { in: ["en') OR ('1'='1"] } }],
    ['a backslash before the quote', { lang: "\\' OR 1=1 --" }],
    ['a comment and a statement', { lang: "en'; DELETE FROM c; --" }],
  ])('%s matches nothing', async (_name, filter) => {
    for (const mode of ['vector', 'keyword'] as const) {
      expect((await bed.host.search(scope, 'f', { query: 'notes', mode, topK: 100, filter })).hits).toEqual([])
    }
  })

  it.each<[string, SearchFilter, string]>([
    ['a name with SQL', { 'lang = lang OR 1': 'x' }, 'filter.lang = lang OR 1'],
    ['a name ending a statement', { 'a; drop': 'x' }, 'filter.a; drop'],
    ['__proto__', JSON.parse('{"__proto__": {"eq": "x"}}'), 'filter.__proto__'],
    ['SQL as a number', { year: '2020 OR 1=1' as unknown as number }, 'filter.year'],
  ])('%s is refused, naming the field', async (_name, filter, field) => {
    await expect(bed.host.search(scope, 'f', { query: 'notes', filter })).rejects.toMatchObject({ code: 'VECTOR_FILTER_INVALID', status: 400, field })
  })

  it('matches a value that looks like an injection literally, and only it', async () => {
    const s = tenant()
    await bed.host.createCollection(s, { name: 'lit', embedding: 'fake-embed' })
    await bed.host.ingest(s, 'lit', [
      { key: 'evil', text: 'one', metadata: { lang: "x' OR 1=1 --" } },
      { key: 'plain', text: 'two', metadata: { lang: 'x' } },
    ])
    const res = await bed.host.search(s, 'lit', { query: 'one two', mode: 'vector', topK: 10, filter: { lang: "x' OR 1=1 --" } })
    expect(res.hits.map((h) => h.documentKey)).toEqual(['evil'])
  })

  it('deletes by filter exactly what the filter selects', async () => {
    const s = tenant()
    await bed.host.createCollection(s, { name: 'del', embedding: 'fake-embed' })
    await bed.host.ingest(s, 'del', docs)
    const filter: SearchFilter = { lang: { ne: 'en' }, year: { gte: 2020 } }
    const gone = docs.filter((d) => matches(d, filter))
    expect(await bed.host.delete(s, 'del', { filter })).toEqual({ documents: gone.length, chunks: gone.length })
    expect(await bed.host.delete(s, 'del', { filter: { lang: "x' OR 1=1 --" } })).toEqual({ documents: 0, chunks: 0 })
    const left = await bed.host.search(s, 'del', { query: 'notes', mode: 'keyword', topK: 100 })
    expect(left.hits.map((h) => h.documentKey).sort()).toEqual(docs.filter((d) => !matches(d, filter)).map((d) => d.key))
  })
})
