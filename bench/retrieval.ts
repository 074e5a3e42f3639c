// Retrieval at scale, through the real vector host (lib/vector: LanceDB in a temp folder, PostgreSQL rows): for
// collections of 10k and 100k chunks at dimension 768, the ingest rate (chunks/s, embedding excluded), query p50/p99
// for vector, keyword and hybrid search (vector and hybrid with and without the ANN index), the index build, and
// the peak RSS of this process, which does what a worker does when it runs Ingest and Search steps.
//
// Embeddings: an in-process `embed` (the fake embedder, tests/fakes/embeddings.ts, which gives topical vectors that
// cluster like a real model's, unlike random ones); the time spent inside it is measured and subtracted from every
// figure. Documents are built from the retrieval fixtures' sentences, shuffled (deterministic), ~1,000 tokens each,
// with a reference code per document; the queries are the fixture questions.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { benchStack } from './queue'
import { pct } from './stats'
import type { BenchRow } from './types'
import { createAiRouter, type AiRouter } from '../lib/ai'
import type { EmbedResult } from '../lib/ai/types'
import type { PrismaClient } from '../lib/db/client'
import { createVectorHost, type EmbedFn, type VectorHostWithClose } from '../lib/vector/host'
import type { IngestDocument, SearchMode, VectorScope } from '../lib/vector/types'
import { createEmbedder, fixtureThesaurus } from '../tests/fakes/embeddings'
import { buildRetrievalFixtures } from '../tests/fixtures/retrieval/src'

const SIZES = (process.env.RETRIEVAL_BENCH_SIZES ?? '10000,100000').split(',').map(Number)
const DIM = Number(process.env.RETRIEVAL_BENCH_DIM ?? 768)
const QUERIES = Number(process.env.RETRIEVAL_BENCH_QUERIES ?? 200)
const CHUNK_TOKENS = Number(process.env.RETRIEVAL_BENCH_CHUNK_TOKENS ?? 200)
/** A size's ingest stops here and its figures are those of the chunks written so far (keeps `npm run bench` bounded). */
const BUDGET_S = Number(process.env.RETRIEVAL_BENCH_BUDGET_S ?? 240)
const DOCS_PER_CALL = 100
const NOTE = 'measured on a 2-core machine shared with other work: rough figures'

// ---------------------------------------------------------------------------------------------
// Corpus and queries

/** mulberry32: a small seeded generator, so every run ingests the same documents. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function corpus() {
  const { documents, questions } = buildRetrievalFixtures()
  const sentences = documents.flatMap((d) => d.text.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 20)
  const next = random(15)
  /** Document n: a title and ~40 sentences drawn from every domain (≈ 1,000 tokens, several chunks), with its code. */
  const doc = (n: number): IngestDocument => {
    const body = Array.from({ length: 40 }, () => sentences[Math.floor(next() * sentences.length)])
    body.splice(Math.floor(next() * body.length), 0, `Reference REF-${n}.`)
    return { key: `bench-${n}`, title: `Bench document ${n}`, text: body.join(' '), metadata: { n, year: 2000 + (n % 25) } }
  }
  return { doc, queries: Array.from({ length: QUERIES }, (_, i) => questions[i % questions.length].question) }
}

// ---------------------------------------------------------------------------------------------
// Embedding (timed, to be subtracted) and memory

function timedEmbedder() {
  const embedder = createEmbedder({ dim: DIM, thesaurus: fixtureThesaurus() })
  const clock = { ms: 0 }
  const embed: EmbedFn = async (req) => {
    const t = performance.now()
    const embeddings = req.input.map((s) => embedder.embed(s))
    clock.ms += performance.now() - t
    const result: EmbedResult = { embeddings, dimensions: DIM, usage: { inputTokens: 0 }, costUsd: '0', deployment: req.target, provider: 'openai', model: 'bench', fallbackIndex: 0, attempts: [], latencyMs: 0, batches: 1 }
    return result
  }
  return { embed, clock }
}

const mib = (bytes: number) => bytes / 2 ** 20
/** The kernel's high-water mark of this process's resident memory: the true peak, between samples too. */
const vmHwmMiB = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024

/** Peak RSS sampled every 100 ms, with the JS heap at that moment (the rest is native: LanceDB, buffers, code). */
function rssSampler() {
  let peak = { rss: 0, heap: 0 }
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > peak.rss) peak = { rss: m.rss, heap: m.heapUsed }
  }
  const timer = setInterval(sample, 100)
  return {
    peak: () => (sample(), { rssMiB: mib(peak.rss), heapMiB: mib(peak.heap) }),
    reset: () => void (peak = { rss: 0, heap: 0 }),
    stop: () => clearInterval(timer),
  }
}

// ---------------------------------------------------------------------------------------------

const WARM_UP = 10

async function queryTimes(host: VectorHostWithClose, scope: VectorScope, collection: string, queries: string[], mode: SearchMode, clock: { ms: number }, index: boolean) {
  // Not timed: the first searches of a mode open its index files and fill LanceDB's caches.
  for (const query of queries.slice(0, WARM_UP)) await host.search(scope, collection, { query, mode, topK: 10 })
  const times: number[] = []
  for (const query of queries) {
    const before = clock.ms
    const t = performance.now()
    const res = await host.search(scope, collection, { query, mode, topK: 10 })
    times.push(performance.now() - t - (clock.ms - before))
    if (mode !== 'keyword' && res.usedIndex !== index) throw new Error(`${mode} search ${index ? 'did not use' : 'used'} the ANN index`)
  }
  return times.sort((a, b) => a - b)
}

interface Bed {
  prisma: PrismaClient
  ai: AiRouter
  dir: string
  scope: VectorScope
  memory: ReturnType<typeof rssSampler>
}

/** Ingests documents of 100 until the collection holds `target` chunks (or the budget runs out). */
async function ingestPhase(bed: Bed, host: VectorHostWithClose, name: string, target: number, doc: (n: number) => IngestDocument, clock: { ms: number }) {
  await host.createCollection(bed.scope, { name, embedding: 'bench', dimension: DIM, chunkSize: CHUNK_TOKENS, chunkOverlap: Math.round(CHUNK_TOKENS * 0.15) })
  let chunks = 0
  let docs = 0
  const t0 = performance.now()
  clock.ms = 0
  while (chunks < target && performance.now() - t0 < BUDGET_S * 1000) {
    const batch = Array.from({ length: DOCS_PER_CALL }, (_, i) => doc(docs + i))
    const results = await host.ingest(bed.scope, name, batch)
    docs += batch.length
    chunks += results.reduce((n, r) => n + r.chunks, 0)
  }
  return { chunks, docs, wallS: (performance.now() - t0) / 1000, embedS: clock.ms / 1000 }
}

async function size(bed: Bed, target: number): Promise<BenchRow[]> {
  const { doc, queries } = corpus()
  const { embed, clock } = timedEmbedder()
  const label = `${target / 1000}k chunks`
  const name = `bench-${target}`
  // Exact scan first (no index however large), then a second host, which indexes past 1 chunk, builds the index.
  const exact = createVectorHost({ prisma: bed.prisma, ai: bed.ai, embed, uri: bed.dir, indexThreshold: Number.MAX_SAFE_INTEGER })
  const indexing = createVectorHost({ prisma: bed.prisma, ai: bed.ai, embed, uri: bed.dir, indexThreshold: 1 })
  bed.memory.reset()
  try {
    const ingest = await ingestPhase(bed, exact, name, target, doc, clock)
    const ingestPeak = bed.memory.peak()
    const partial = ingest.chunks < target ? `; only ${ingest.chunks} of ${target} chunks within the ${BUDGET_S} s budget` : ''
    const rows: BenchRow[] = [
      {
        name: `${label}: ingest rate, embedding excluded`,
        value: ingest.chunks / (ingest.wallS - ingest.embedS),
        unit: 'chunks/s',
        notes: `${ingest.docs} documents → ${ingest.chunks} chunks of ≤ ${CHUNK_TOKENS} tokens (dimension ${DIM}) in ${ingest.wallS.toFixed(1)} s, of which ${ingest.embedS.toFixed(1)} s in the in-process embedder (subtracted); ${DOCS_PER_CALL} documents per ingest call${partial}`,
      },
    ]
    const measure = async (host: VectorHostWithClose, modes: SearchMode[], index: boolean) => {
      for (const mode of modes) {
        const times = await queryTimes(host, bed.scope, name, queries, mode, clock, index)
        const how = mode === 'keyword' ? 'BM25 index' : index ? 'ANN index' : 'exact scan'
        rows.push({ name: `${label}: ${mode} query p50 (${how})`, value: pct(times, 50), unit: 'ms', notes: `${times.length} queries, top 10, one at a time` })
        rows.push({ name: `${label}: ${mode} query p99 (${how})`, value: pct(times, 99), unit: 'ms' })
      }
    }
    await measure(exact, ['vector', 'keyword', 'hybrid'], false)
    const t1 = performance.now()
    await indexing.ingest(bed.scope, name, [doc(ingest.docs)])
    const indexed = (await indexing.getCollection(bed.scope, name))!
    if (!indexed.indexed) throw new Error('the ANN index was not built')
    rows.push({ name: `${label}: ANN index build`, value: (performance.now() - t1) / 1000, unit: 's', notes: `over ${indexed.chunkCount} vectors, within the ingest of one document that passed the threshold` })
    await measure(indexing, ['vector', 'hybrid'], true)
    const peak = bed.memory.peak()
    rows.push({
      name: `${label}: peak RSS of the process`,
      value: peak.rssMiB,
      unit: 'MiB',
      notes: `sampled every 100 ms from process.memoryUsage().rss, of which JS heap ${peak.heapMiB.toFixed(0)} MiB (during the ingest: ${ingestPeak.rssMiB.toFixed(0)} MiB, heap ${ingestPeak.heapMiB.toFixed(0)} MiB); from the start of this size, after the smaller sizes ran in the same process`,
    })
    return rows
  } finally {
    await exact.close()
    await indexing.close()
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('retrieval')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-vectors-'))
  const memory = rssSampler()
  const ai = createAiRouter({ prisma: stack.prisma, fetch: () => Promise.reject(new Error('no model calls in this bench')) })
  try {
    const rows: BenchRow[] = []
    const bed: Bed = { prisma: stack.prisma, ai, dir, scope: { tenantId: stack.tenantId }, memory }
    for (const target of SIZES) rows.push(...(await size(bed, target)))
    rows.push({ name: 'peak RSS of the process (VmHWM)', value: vmHwmMiB(), unit: 'MiB', notes: `the kernel's high-water mark over the whole bench (all sizes); ${NOTE}` })
    writeResults(rows)
    return rows
  } finally {
    memory.stop()
    await stack.drop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function writeResults(rows: BenchRow[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('RETRIEVAL_BENCH_')))
  const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg()[0] }
  const file = path.resolve(import.meta.dirname, 'results/retrieval.json')
  fs.writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), machine, env, note: NOTE, results: { retrieval: rows } }, null, 2)}\n`)
}
