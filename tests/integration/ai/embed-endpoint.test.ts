// POST /api/ai/v1/embeddings called by the real `openai` client over HTTP, through the web process's router and a
// real PostgreSQL, onto two fake embedding servers: float and base64, several inputs, `dimensions`, failover, bad
// input named in OpenAI's error shape, unknown model, a budget, and one tenant's deployments invisible to another.
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { POST } from '../../../app/api/ai/v1/embeddings/route'
import { costPico, picoToUsd } from '../../../lib/ai/pricing'
import { getAiRouter } from '../../../lib/ai/service'
import { createModel, createDeployment, setBudget } from '../../../lib/models/registry'
import type { FakeEmbeddings } from '../../fakes/embeddings'
import { seedTenant, type SeededTenant } from '../../helpers/db'
import { EMBED_DIM, EMBED_MODEL, fakeTokens, useEmbeddingEnv } from './embed-setup'
import { serveRoutes } from './serve-route'

let t: Awaited<ReturnType<typeof useEmbeddingEnv>>
let env: Awaited<ReturnType<typeof useEmbeddingEnv>>['env']
/** Two servers of one embedding model: deployments embed-a and embed-b. */
let a: FakeEmbeddings, b: FakeEmbeddings
let tenant: SeededTenant
let server: Awaited<ReturnType<typeof serveRoutes>>
let client: OpenAI

beforeAll(async () => {
  t = await useEmbeddingEnv()
  ;({ env, a, b, tenant } = t)
  server = await serveRoutes({ '/api/ai/v1/embeddings': { POST } })
  client = new OpenAI({ apiKey: tenant.apiKey, baseURL: `${server.url}/api/ai/v1`, maxRetries: 0 })
})
afterAll(async () => {
  await getAiRouter().ledger.flush()
  await server?.close()
  await t?.teardown()
})
beforeEach(async () => {
  await getAiRouter().ledger.flush()
  await env.db.prisma.aiUsage.deleteMany({})
  a.seen.length = 0
  b.seen.length = 0
})

const ledgerRows = async (tenantId = tenant.tenantId) => {
  await getAiRouter().ledger.flush()
  return env.db.prisma.aiUsage.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })
}
const post = (body: unknown, apiKey = tenant.apiKey) =>
  fetch(`${server.url}/api/ai/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('POST /api/ai/v1/embeddings', () => {
  it('answers several inputs as floats, in order, and records an exact ledger row for the API key', async () => {
    const input = ['cats purr', 'dogs bark loudly at night', 'a third text']
    const r = await client.embeddings.create({ model: 'vectors', input, encoding_format: 'float' })
    expect(r).toMatchObject({ object: 'list', model: 'vectors', usage: { prompt_tokens: fakeTokens(input), total_tokens: fakeTokens(input) } })
    expect(r.data.map((d) => [d.object, d.index])).toEqual([['embedding', 0], ['embedding', 1], ['embedding', 2]])
    r.data.forEach((d, i) => expect(d.embedding).toEqual(a.embedder(EMBED_DIM).embed(input[i])))
    const [row] = await ledgerRows()
    const key = await env.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: tenant.tenantId } })
    expect(row).toMatchObject({ source: 'api', target: 'vectors', apiKeyId: key.id, deploymentName: 'embed-a', inputTokens: fakeTokens(input), outputTokens: 0, outcome: 'ok' })
    expect(row.costUsd.toFixed(12)).toBe(picoToUsd(costPico(fakeTokens(input), 0, { inputPriceMicros: 20_000n, outputPriceMicros: 0n })))
  })

  it('answers base64 (little-endian float32), which the openai client asks for by default and decodes', async () => {
    const truth = a.embedder(EMBED_DIM).embed('hello base64')
    const raw = await (await post({ model: 'vectors', input: 'hello base64', encoding_format: 'base64' })).json()
    const bytes = Buffer.from(raw.data[0].embedding, 'base64')
    expect(bytes.length).toBe(EMBED_DIM * 4)
    expect(Array.from({ length: EMBED_DIM }, (_, i) => bytes.readFloatLE(i * 4))).toEqual(Array.from(new Float32Array(truth)))
    // No encoding_format: the client asks for base64 and hands back numbers.
    const r = await client.embeddings.create({ model: 'vectors', input: 'hello base64' })
    expect(r.data[0].embedding).toEqual(Array.from(new Float32Array(truth)))
  })

  it('passes `dimensions` to the provider', async () => {
    const r = await client.embeddings.create({ model: 'vectors', input: ['shorter'], dimensions: 16, encoding_format: 'float' })
    expect(r.data[0].embedding).toHaveLength(16)
    expect(a.seen[0]).toMatchObject({ dimensions: 16, encoding: 'float', authorization: 'Bearer sk-embed' })
  })

  it('fails over within the route and says which deployment served', async () => {
    a.script(EMBED_MODEL, { status: 503 })
    const raw = await (await post({ model: 'vectors', input: ['fail over'] })).json()
    expect(raw.auterity).toMatchObject({ deployment: 'embed-b', fallback_index: 1, dimensions: EMBED_DIM, batches: 1 })
    expect(b.seen).toHaveLength(1)
  })

  it.each([
    ['an empty text', { input: ['fine', ''] }, 'input[1]', 'AI_INPUT_INVALID'],
    ['token arrays', { input: [1, 2, 3] }, 'input', 'VALIDATION_ERROR'],
    ['more than 2048 texts', { input: Array.from({ length: 2049 }, () => 'x') }, 'input', 'AI_INPUT_INVALID'],
    ['an unknown encoding', { input: 'x', encoding_format: 'hex' }, 'encoding_format', 'VALIDATION_ERROR'],
    ['bad dimensions', { input: 'x', dimensions: -1 }, 'dimensions', 'VALIDATION_ERROR'],
  ])('refuses %s with a 400 naming the field in OpenAI’s error shape', async (_l, body, param, code) => {
    const err = await client.embeddings.create({ model: 'vectors', ...(body as { input: string }) }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err).toMatchObject({ status: 400, param, code, type: 'invalid_request_error' })
    expect(err.message).toContain(param)
    expect(a.seen.length + b.seen.length).toBe(0)
  })

  it('answers 404 for an unknown model, 401 without a valid key, and 502 for vectors of the wrong length', async () => {
    await expect(client.embeddings.create({ model: 'nope', input: 'x' })).rejects.toMatchObject({ status: 404, code: 'AI_TARGET_NOT_FOUND' })
    const anon = new OpenAI({ apiKey: 'ak_wrong', baseURL: `${server.url}/api/ai/v1`, maxRetries: 0 })
    await expect(anon.embeddings.create({ model: 'vectors', input: 'x' })).rejects.toMatchObject({ status: 401, type: 'authentication_error' })
    a.script(EMBED_MODEL, { wrongDimension: 7 })
    const err = await client.embeddings.create({ model: 'vectors', input: 'x' }).catch((e) => e)
    expect(err).toMatchObject({ status: 502, code: 'AI_EMBEDDING_DIMENSION', type: 'server_error' })
    expect(err.message).toMatch(/7 dimensions.*configured for 64/)
  })

  it('answers 402 when the budget would be exceeded, before any provider call', async () => {
    await setBudget(env.db.prisma, tenant.tenantId, { period: 'day', limitUsd: '0.000001' }, (t) => getAiRouter().catalog.invalidate(t))
    try {
      const err = await client.embeddings.create({ model: 'vectors', input: ['over budget '.repeat(1000)] }).catch((e) => e)
      expect(err).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED', type: 'insufficient_quota' })
      expect(a.seen).toHaveLength(0)
      expect((await ledgerRows())[0]).toMatchObject({ outcome: 'budget_exceeded', source: 'api' })
    } finally {
      await env.db.prisma.aiBudget.deleteMany({})
      getAiRouter().catalog.invalidate(tenant.tenantId)
    }
  })

  it("uses only the caller's own deployments: another workspace's names are unknown, its own same-named one is used", async () => {
    const other = await seedTenant(env.db.prisma, { name: 'Other' })
    const otherClient = new OpenAI({ apiKey: other.apiKey, baseURL: `${server.url}/api/ai/v1`, maxRetries: 0 })
    await expect(otherClient.embeddings.create({ model: 'vectors', input: 'x' })).rejects.toMatchObject({ status: 404 })
    const m = await createModel(env.db.prisma, other.tenantId, { name: 'their-embedder', provider: 'openaiCompatible', modelId: 'their-model', kind: 'embedding', dimensions: EMBED_DIM })
    await createDeployment(env.db.prisma, other.tenantId, { name: 'embed-a', aiModelId: m.id, baseUrl: b.v1 })
    getAiRouter().catalog.invalidate(other.tenantId)
    const r = await otherClient.embeddings.create({ model: 'embed-a', input: 'mine', encoding_format: 'float' })
    expect(r.data[0].embedding).toHaveLength(EMBED_DIM)
    expect(a.seen).toHaveLength(0)
    expect(b.seen).toEqual([expect.objectContaining({ model: 'their-model', authorization: 'Bearer not-needed' })])
    expect(await ledgerRows(other.tenantId)).toEqual([expect.objectContaining({ deploymentName: 'embed-a', model: 'their-model' })])
    expect(await ledgerRows()).toHaveLength(0)
  })
})
