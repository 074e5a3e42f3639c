// Retrieval quality on the fixture set (tests/fixtures/retrieval): every document ingested as a Markdown page (its
// title a heading) through the real vector host (PostgreSQL rows, LanceDB in a temp folder), embedded by the real
// AI router calling the fake OpenAI-format embeddings server (tests/fakes/embeddings.ts, dimension 768, with the
// fixtures' thesaurus) over HTTP; every question asked in the three modes, recall@5 printed per mode and per kind
// of question. The order hybrid ≥ vector ≥ keyword is asserted, with a floor under each so that a broken search
// fails. Re-ingesting the same documents embeds nothing.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAiRouter } from '../../../lib/ai'
import { getCredentialStore } from '../../../lib/credentials'
import { createDeployment, createModel } from '../../../lib/models/registry'
import { createVectorHost, type VectorHostWithClose } from '../../../lib/vector/host'
import type { SearchMode, VectorScope } from '../../../lib/vector/types'
import { startFakeEmbeddings, type FakeEmbeddings } from '../../fakes/embeddings'
import { buildRetrievalFixtures, type FixtureQuestion, type QuestionKind } from '../../fixtures/retrieval/src'
import { seedTenant, useTestEnv } from '../../helpers/db'

const K = 5
const DIM = 768
const MODES: SearchMode[] = ['hybrid', 'vector', 'keyword']
const KINDS: QuestionKind[] = ['paraphrase', 'exact', 'mixed']
const { documents, questions } = buildRetrievalFixtures()
const docs = documents.map((d) => ({ key: d.id, title: d.title, text: `# ${d.title}\n\n${d.text}`, mimeType: 'text/markdown', metadata: d.metadata }))

let env: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeEmbeddings
let host: VectorHostWithClose
let scope: VectorScope
let dir: string
/** recall@5 per mode, per question id. */
const recall: Record<SearchMode, Map<string, number>> = { hybrid: new Map(), vector: new Map(), keyword: new Map() }
/** Texts the fake server has embedded so far. */
const embedded = () => fake.seen.reduce((n, s) => n + s.inputs, 0)

beforeAll(async () => {
  fake = await startFakeEmbeddings({ dim: DIM })
  env = await useTestEnv()
  const prisma = env.db.prisma
  const { tenantId } = await seedTenant(prisma)
  scope = { tenantId }
  const cred = await getCredentialStore().create(tenantId, { name: 'embeddings', kind: 'openai', data: { apiKey: 'sk-fake' } })
  const model = await createModel(prisma, tenantId, { name: 'fixture-embedder', provider: 'openai', modelId: 'fake-embedding-768', kind: 'embedding', dimensions: DIM, contextLength: 8191, inputPricePerM: 0.02 })
  await createDeployment(prisma, tenantId, { name: 'fixture-embed', aiModelId: model.id, baseUrl: fake.v1, credentialId: cred.id })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-recall-'))
  // The test's own fetch: the fake server is on loopback, which the production guard refuses.
  host = createVectorHost({ prisma, ai: createAiRouter({ prisma, fetch: globalThis.fetch }), uri: dir })
  const results = await host.ingest(scope, 'fixtures', docs, { create: { embedding: 'fixture-embed' } })
  expect(results.every((r) => r.status === 'added')).toBe(true)
})
afterAll(async () => {
  await host?.close()
  await fake?.close()
  await env?.teardown()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const recallOf = (mode: SearchMode, qs: FixtureQuestion[]) => mean(qs.map((q) => recall[mode].get(q.id)!))

describe('recall@5 on the retrieval fixtures', () => {
  it('ingested every document as one chunk, at the deployment\'s dimension', async () => {
    expect(await host.getCollection(scope, 'fixtures')).toMatchObject({ documentCount: documents.length, chunkCount: documents.length, dimension: DIM })
    expect(embedded()).toBe(documents.length)
  })

  it.each(MODES)('answers every question in %s mode', async (mode) => {
    for (const q of questions) {
      const res = await host.search(scope, 'fixtures', { query: q.question, mode, topK: K })
      const found = new Set(res.hits.map((h) => h.documentKey))
      recall[mode].set(q.id, q.answers.filter((a) => found.has(a)).length / q.answers.length)
    }
    expect(recall[mode].size).toBe(questions.length)
  })

  it('ranks hybrid ≥ vector ≥ keyword, each well above chance', () => {
    const rows = MODES.map((mode) => [mode, recallOf(mode, questions), ...KINDS.map((k) => recallOf(mode, questions.filter((q) => q.kind === k)))] as const)
    const header = ['mode', 'all', ...KINDS.map((k) => `${k} (${questions.filter((q) => q.kind === k).length})`)]
    const table = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)))].map((r) => r.map((c) => c.padEnd(16)).join(''))
    console.log([`recall@${K}: ${questions.length} questions, ${documents.length} documents`, ...table].join('\n'))
    const [hybrid, vector, keyword] = rows.map((r) => r[1])
    expect(hybrid).toBeGreaterThanOrEqual(vector)
    expect(vector).toBeGreaterThanOrEqual(keyword)
    expect(keyword).toBeGreaterThan(0.5)
  })

  it('re-ingests the same documents without embedding anything', async () => {
    const before = embedded()
    const results = await host.ingest(scope, 'fixtures', docs)
    expect(results.every((r) => r.status === 'unchanged' && r.costUsd === '0')).toBe(true)
    expect(embedded()).toBe(before)
  })
})
