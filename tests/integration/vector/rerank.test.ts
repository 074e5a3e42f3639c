// LLM re-ranking through a real AiRouter (static catalog) and the openai SDK against the fake LLM server: the
// candidates go out numbered, come back rated 0–10, and the hits are reordered with their earlier rank kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { buildRouter, dep } from '../../unit/ai/builders'
import { tenant, vectorBed, type VectorBed } from './setup'

let llm: FakeLlm
let bed: VectorBed
const scope = tenant()

beforeAll(async () => {
  llm = await startFakeLlm()
  const { router } = buildRouter({ deployments: [dep('judge', llm.v1)] })
  bed = await vectorBed({ ai: router })
  await bed.host.createCollection(scope, { name: 'kb', embedding: 'fake-embed' })
  await bed.host.ingest(scope, 'kb', [
    { key: 'a', text: 'Paris is the capital of France.' },
    { key: 'b', text: 'France borders Spain and Italy.' },
    { key: 'c', text: 'The capital city hosts the French parliament.' },
    { key: 'd', text: 'Bananas grow in tropical climates.' },
  ])
})
afterAll(async () => {
  await bed?.teardown()
  await llm?.close()
})

describe('re-rank', () => {
  it('reorders the candidates by the model\'s ratings and keeps the rank before', async () => {
    const plain = await bed.host.search(scope, 'kb', { query: 'capital of France', mode: 'vector', topK: 3 })
    const before = plain.hits.map((h) => h.documentKey)
    // Rate the candidates in reverse of their order: the last becomes the first.
    llm.script('judge', { json: { scores: [{ passage: 1, score: 2 }, { passage: 2, score: 5 }, { passage: 3, score: 9.5 }] }, usage: { input: 120, output: 30 } })
    const res = await bed.host.search(scope, 'kb', { query: 'capital of France', mode: 'vector', topK: 2, rerank: { target: 'judge', candidates: 3 } })
    expect(res.hits.map((h) => [h.documentKey, h.rerankScore, h.rankBeforeRerank, h.score])).toEqual([
      [before[2], 9.5, 3, 9.5],
      [before[1], 5, 2, 5],
    ])
    expect(res.hits[0].vectorRank).toBe(3)
    expect(res.rerank).toEqual({ tokens: 150, costUsd: '0.000180000000', deployment: 'judge' })
    const sent = llm.seen.at(-1)!.body as { messages: { role: string; content: string }[] }
    const prompt = sent.messages.at(-1)!.content
    expect(prompt).toContain('Query: capital of France')
    for (const [i, key] of before.entries()) expect(prompt).toContain(`[${i + 1}] ${plain.hits.find((h) => h.documentKey === key)!.text}`)
  })

  it('puts passages the model left unrated after the rated ones, in their earlier order', async () => {
    llm.script('judge', { json: { scores: [{ passage: 3, score: 4 }, { passage: 99, score: 10 }] } })
    const res = await bed.host.search(scope, 'kb', { query: 'capital France', mode: 'keyword', topK: 3, rerank: { target: 'judge' } })
    expect(res.hits.map((h) => [h.rankBeforeRerank, h.rerankScore])).toEqual([[3, 4], [1, null], [2, null]])
  })

  it('passes the router\'s errors through with their codes', async () => {
    await expect(bed.host.search(scope, 'kb', { query: 'France', rerank: { target: 'nobody' } })).rejects.toMatchObject({ code: 'AI_TARGET_NOT_FOUND' })
  })
})
