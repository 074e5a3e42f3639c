// The OpenAI-compatible endpoint, called by the real `openai` client, over a real PostgreSQL: failover,
// streaming, budgets and exact ledger rows.
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { POST } from '../../../app/api/ai/v1/chat/completions/route'
import { getAiRouter } from '../../../lib/ai/service'
import { setBudget } from '../../../lib/models/registry'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { serveRoutes } from './serve-route'
import { seedAi } from './setup'

let env: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeLlm
let server: Awaited<ReturnType<typeof serveRoutes>>
let tenant: Awaited<ReturnType<typeof seedTenant>>
let client: OpenAI

beforeAll(async () => {
  fake = await startFakeLlm('Hello from fake')
  // The web process's guard lets the fake LLM on 127.0.0.1 through only because it is allow-listed here.
  env = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: new URL(fake.v1).host })
  tenant = await seedTenant(env.db.prisma)
  await seedAi(env.db.prisma, tenant.tenantId, fake.v1)
  server = await serveRoutes({ '/api/ai/v1/chat/completions': { POST } })
  client = new OpenAI({ apiKey: tenant.apiKey, baseURL: `${server.url}/api/ai/v1`, maxRetries: 0 })
})
afterAll(async () => {
  await getAiRouter().ledger.flush()
  await server?.close()
  await fake?.close()
  await env?.teardown()
})
beforeEach(async () => {
  await getAiRouter().ledger.flush()
  await env.db.prisma.aiUsage.deleteMany({})
})

const ledgerRows = async () => {
  await getAiRouter().ledger.flush()
  return env.db.prisma.aiUsage.findMany({ where: { tenantId: tenant.tenantId }, orderBy: { createdAt: 'asc' } })
}

describe('POST /api/ai/v1/chat/completions', () => {
  it('answers through the route, failing over from a 500 on the Anthropic primary, and records an exact ledger row', async () => {
    fake.script('claude-fake', { status: 500 })
    fake.script('gpt-fake', { text: 'served by backup', usage: { input: 1000, output: 250 } })
    const r = await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })
    expect(r.choices[0].message.content).toBe('served by backup')
    expect(r.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 250, total_tokens: 1250 })
    const rows = await ledgerRows()
    expect(rows).toHaveLength(1)
    // 1000 × $0.15/1M + 250 × $0.60/1M = $0.00030
    expect(rows[0]).toMatchObject({ tenantId: tenant.tenantId, source: 'api', target: 'main', deploymentName: 'backup', provider: 'openai', model: 'gpt-fake', inputTokens: 1000, outputTokens: 250, outcome: 'ok', fallbackIndex: 1 })
    expect(rows[0].costUsd.toString()).toBe('0.0003')
    // Attributed to the API key that made the call.
    const key = await env.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: tenant.tenantId } })
    expect(rows[0].apiKeyId).toBe(key.id)
    expect(rows[0].attempts).toEqual([expect.objectContaining({ deployment: 'primary', code: 'HTTP_500' })])
  })

  it('streams through the real client and records the streamed call', async () => {
    fake.script('claude-fake', { text: 'streamed from claude', usage: { input: 20, output: 3 } })
    const stream = await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } })
    let text = ''
    let usage
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? ''
      if (c.usage) usage = c.usage
    }
    expect(text).toBe('streamed from claude')
    expect(usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 3 })
    const rows = await ledgerRows()
    // 20 × $3/1M + 3 × $15/1M = $0.000105
    expect(rows[0]).toMatchObject({ streamed: true, deploymentName: 'primary', provider: 'anthropic', outcome: 'ok' })
    expect(rows[0].costUsd.toString()).toBe('0.000105')
  })

  it('returns tool calls and JSON output in the OpenAI shape', async () => {
    fake.script('claude-fake', { toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] })
    const r = await client.chat.completions.create({
      model: 'primary',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
    })
    expect(r.choices[0].finish_reason).toBe('tool_calls')
    expect(r.choices[0].message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } })
    fake.script('gpt-fake', { json: { ok: true } })
    const j = await client.chat.completions.create({
      model: 'backup',
      messages: [{ role: 'user', content: 'json please' }],
      response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } },
    })
    expect(JSON.parse(j.choices[0].message.content!)).toEqual({ ok: true })
  })

  it('rejects a request without an API key, and a bad body naming the field', async () => {
    const anon = new OpenAI({ apiKey: 'ak_wrong', baseURL: `${server.url}/api/ai/v1`, maxRetries: 0 })
    await expect(anon.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 })
    // @ts-expect-error deliberately wrong
    await expect(client.chat.completions.create({ model: 'main', messages: [{ role: 'robot', content: 'hi' }] })).rejects.toMatchObject({ status: 400 })
    await expect(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404 })
  })

  it('stops a call that would exceed the tenant budget before any provider is called', async () => {
    await setBudget(env.db.prisma, tenant.tenantId, { period: 'day', limitUsd: '0.000001' }, (t) => getAiRouter().catalog.invalidate(t))
    const before = fake.seen.length
    const err = await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 }).catch((e) => e)
    expect(err).toMatchObject({ status: 402 })
    expect(err.message).toMatch(/budget/i)
    expect(fake.seen.length).toBe(before)
    const rows = await ledgerRows()
    expect(rows[0]).toMatchObject({ outcome: 'budget_exceeded', errorCode: 'BUDGET_EXCEEDED' })
    await env.db.prisma.aiBudget.deleteMany({})
    getAiRouter().catalog.invalidate(tenant.tenantId)
  })
})
