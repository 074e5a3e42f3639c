// Embeddings through the router over a real PostgreSQL registry and ledger, against two fake embedding servers
// over real HTTP: retries and failover (500, 429, hang), exact ledger rows, a budget that blocks, a wrong vector
// length; and the registry side: kinds and dimensions through the admin API, "test connection" for embeddings.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { POST as postModel } from '../../../app/api/ai/models/route'
import { PUT as putModel } from '../../../app/api/ai/models/[id]/route'
import { POST as testConnection } from '../../../app/api/ai/deployments/[id]/test/route'
import { createAiRouter } from '../../../lib/ai'
import { costPico, picoToUsd } from '../../../lib/ai/pricing'
import type { AiRouter } from '../../../lib/ai/router'
import { createDeployment, createModel, setBudget, upsertRoute } from '../../../lib/models/registry'
import { createGuardedFetch, type GuardedFetch } from '../../../lib/net/ssrf'
import type { EmbeddingStep, FakeEmbeddings } from '../../fakes/embeddings'
import { call } from '../backbone/support'
import { seedTenant, type SeededTenant } from '../../helpers/db'
import { EMBED_DIM, EMBED_MODEL, fakeTokens, useEmbeddingEnv } from './embed-setup'

let t: Awaited<ReturnType<typeof useEmbeddingEnv>>
let env: Awaited<ReturnType<typeof useEmbeddingEnv>>['env']
/** Two servers of one embedding model: deployments embed-a and embed-b. */
let a: FakeEmbeddings, b: FakeEmbeddings
let tenant: SeededTenant
let seeded: Awaited<ReturnType<typeof useEmbeddingEnv>>['seeded']
let guarded: GuardedFetch
let router: AiRouter

beforeAll(async () => {
  t = await useEmbeddingEnv({ maxRetries: 1 })
  ;({ env, a, b, tenant, seeded } = t)
  // A short timeout only where a hang is scripted: a loaded machine must not turn a slow answer into a timeout.
  const quick = await createDeployment(env.db.prisma, tenant.tenantId, { name: 'embed-a-quick', aiModelId: seeded.model.id, baseUrl: a.v1, credentialId: seeded.cred.id, maxRetries: 1, timeoutMs: 300 })
  await upsertRoute(env.db.prisma, tenant.tenantId, { name: 'quick', deployments: [quick.name, 'embed-b'] })
  guarded = createGuardedFetch({ allowList: t.hosts, field: 'baseUrl' })
  router = createAiRouter({ prisma: env.db.prisma, fetch: guarded.fetch, retryBackoffMs: 1, breaker: { failureThreshold: 50 } })
})
afterAll(async () => {
  await router?.ledger.flush()
  await guarded?.close()
  await t?.teardown()
})
beforeEach(async () => {
  await router.ledger.flush()
  await env.db.prisma.aiUsage.deleteMany({})
  a.seen.length = 0
  b.seen.length = 0
})

const meta = () => ({ tenantId: tenant.tenantId, workflowId: 'wf-embed', executionId: 'ex-1', stepId: 'index' })
const ledgerRows = async () => {
  await router.ledger.flush()
  return env.db.prisma.aiUsage.findMany({ where: { tenantId: tenant.tenantId }, orderBy: { createdAt: 'asc' } })
}
const price = { inputPriceMicros: 20_000n, outputPriceMicros: 0n }

describe('AiRouter.embed over PostgreSQL', () => {
  it.each<[string, string, EmbeddingStep[], string, string[]]>([
    ['429 once: retried on the same deployment', 'vectors', [{ status: 429 }], 'embed-a', ['RATE_LIMITED']],
    ['500 twice: retried, then failed over', 'vectors', [{ status: 500 }, { status: 500 }], 'embed-b', ['HTTP_500', 'HTTP_500']],
    ['a hang twice: timed out, then failed over', 'quick', [{ hang: true }, { hang: true }], 'embed-b', ['TIMEOUT', 'TIMEOUT']],
  ])('%s, with one exact ledger row', async (_label, target, steps, servedBy, codes) => {
    a.script(EMBED_MODEL, ...steps)
    const input = ['the first text to embed', 'a second, longer text to embed into the same space']
    const r = await router.embed({ target, input }, meta())
    expect(r.deployment).toBe(servedBy)
    expect(r.attempts.map((x) => x.code)).toEqual(codes)
    expect(r.embeddings.map((v) => v.length)).toEqual([EMBED_DIM, EMBED_DIM])
    expect(r.embeddings[1]).toEqual(a.embedder(EMBED_DIM).embed(input[1]))
    const cost = costPico(fakeTokens(input), 0, price)
    expect(r.costUsd).toBe(picoToUsd(cost))
    const rows = await ledgerRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ source: 'workflow', target, workflowId: 'wf-embed', stepId: 'index', deploymentName: servedBy, model: EMBED_MODEL, inputTokens: fakeTokens(input), outputTokens: 0, outcome: 'ok', fallbackIndex: servedBy === 'embed-a' ? 0 : 1, streamed: false })
    expect(rows[0].costUsd.toFixed(12)).toBe(picoToUsd(cost))
    expect((rows[0].attempts as { code: string }[]).map((x) => x.code)).toEqual(codes)
  })

  it('a budget that would be exceeded stops the call before any provider is asked', async () => {
    await setBudget(env.db.prisma, tenant.tenantId, { workflowId: 'wf-embed', period: 'day', limitUsd: '0.000001' }, (t) => router.catalog.invalidate(t))
    try {
      // ~2,500 tokens × $0.02 / 1M = $0.00005 > $0.000001
      const err = await router.embed({ target: 'vectors', input: ['budget words '.repeat(800)] }, meta()).catch((e) => e)
      expect(err).toMatchObject({ code: 'BUDGET_EXCEEDED', status: 402 })
      expect(a.seen.length + b.seen.length).toBe(0)
      expect((await ledgerRows())[0]).toMatchObject({ outcome: 'budget_exceeded', errorCode: 'BUDGET_EXCEEDED', workflowId: 'wf-embed' })
      // Another workflow is not held to that workflow's budget.
      await expect(router.embed({ target: 'vectors', input: ['x'] }, { ...meta(), workflowId: 'other' })).resolves.toMatchObject({ deployment: 'embed-a' })
    } finally {
      await env.db.prisma.aiBudget.deleteMany({})
      router.catalog.invalidate(tenant.tenantId)
    }
  })

  it('refuses vectors of the wrong length with a clear error, returns none, and records what was billed', async () => {
    a.script(EMBED_MODEL, { wrongDimension: 12 })
    const err = await router.embed({ target: 'vectors', input: ['wrong length please'] }, meta()).catch((e) => e)
    expect(err).toMatchObject({ code: 'AI_EMBEDDING_DIMENSION', status: 502, details: { expected: EMBED_DIM, received: 12 } })
    expect(err.message).toBe(`embed-a returned an embedding of 12 dimensions, the deployment is configured for ${EMBED_DIM}`)
    expect(b.seen).toHaveLength(0)
    const [row] = await ledgerRows()
    expect(row).toMatchObject({ outcome: 'error', errorCode: 'AI_EMBEDDING_DIMENSION', deploymentName: 'embed-a', inputTokens: fakeTokens(['wrong length please']) })
  })
})

describe('registry: embedding models', () => {
  const model = (body: unknown) => call(postModel, { method: 'POST', headers: tenant.headers, body })

  it.each([
    ['an Anthropic embedding model', { provider: 'anthropic', modelId: 'claude-x', kind: 'embedding' }, 'provider', /no embeddings API/],
    ['dimensions on a chat model', { provider: 'openai', modelId: 'gpt-x', kind: 'chat', dimensions: 512 }, 'dimensions', /only embedding models/],
    ['dimensions over 16384', { provider: 'openai', modelId: 'e', kind: 'embedding', dimensions: 20_000 }, 'dimensions', /16384/],
    ['zero dimensions', { provider: 'openai', modelId: 'e', kind: 'embedding', dimensions: 0 }, 'dimensions', /positive/],
    ['an unknown kind', { provider: 'openai', modelId: 'e', kind: 'rerank' }, 'kind', /./],
  ])('refuses %s, naming the field', async (_l, body, field, why) => {
    const res = await model({ name: `bad-${field}-${Math.random().toString(36).slice(2, 6)}`, ...body })
    expect(res.status).toBe(400)
    expect(res.json.error.fields[field]).toMatch(why)
  })

  it('fills kind, vector length and price of a known embedding model, and keeps dimensions to embedding models on update', async () => {
    const res = await model({ name: 'small', provider: 'openai', modelId: 'text-embedding-3-small' })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ kind: 'embedding', dimensions: 1536, contextLength: 8191, inputPricePerM: 0.02, outputPricePerM: 0 })
    const put = (body: unknown) => call(putModel, { method: 'PUT', headers: tenant.headers, body, params: { id: res.json.id } })
    expect((await put({ dimensions: 512 })).json).toMatchObject({ kind: 'embedding', dimensions: 512 })
    expect((await put({ kind: 'chat' })).json).toMatchObject({ kind: 'chat', dimensions: null })
    const bad = await put({ dimensions: 256 })
    expect(bad.status).toBe(400)
    expect(bad.json.error.fields).toHaveProperty('dimensions')
    expect((await env.db.prisma.aiModel.findUniqueOrThrow({ where: { id: res.json.id } })).dimensions).toBeNull()
  })
})

describe('test connection of an embedding deployment', () => {
  const check = (id: string, who = tenant) => call(testConnection, { method: 'POST', headers: who.headers, params: { id } })

  it('embeds a short text with the stored key and reports the vector length', async () => {
    const res = await check(seeded.a.id)
    expect(res.json).toMatchObject({ ok: true, provider: 'openai', modelId: EMBED_MODEL, dimensions: EMBED_DIM })
    expect(a.seen.at(-1)).toMatchObject({ model: EMBED_MODEL, inputs: 1, authorization: 'Bearer sk-embed' })
  })

  it('fails when the provider answers another length than the model is configured for', async () => {
    const m = await createModel(env.db.prisma, tenant.tenantId, { name: 'mis-sized', provider: 'openai', modelId: EMBED_MODEL, kind: 'embedding', dimensions: 32 })
    const d = await createDeployment(env.db.prisma, tenant.tenantId, { name: 'mis-sized-dep', aiModelId: m.id, baseUrl: a.v1, credentialId: seeded.cred.id })
    expect((await check(d.id)).json).toMatchObject({ ok: false, dimensions: EMBED_DIM, error: `returned ${EMBED_DIM} dimensions, the model is configured for 32` })
  })

  it('is tenant-scoped', async () => {
    const other = await seedTenant(env.db.prisma)
    expect((await check(seeded.a.id, other)).status).toBe(404)
  })
})
