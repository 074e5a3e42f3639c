// AI deployments' base URLs are user-supplied destinations: "test connection", LLM Chat (here through "test this
// step" in the web process) and the OpenAI-compatible endpoint all go through the outbound guard, so an
// internal server that is not allow-listed is never reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as testRoute from '../../../app/api/ai/deployments/[id]/test/route'
import * as completions from '../../../app/api/ai/v1/chat/completions/route'
import * as workflows from '../../../app/api/workflows/route'
import * as testStepRoute from '../../../app/api/workflows/[id]/test-step/route'
import { getAiRouter } from '../../../lib/ai/service'
import { createDeployment, createModel } from '../../../lib/models/registry'
import { closeAppServices } from '../../../lib/services/app'
import { getCredentialStore } from '../../../lib/credentials'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { sendJson, startLocalServer, type LocalServer } from '../../unit/net/local-server'
import { call, chain, node } from '../backbone/support'
import { seedAi } from './setup'

let env: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeLlm
let internal: LocalServer
let owner: SeededTenant
let seeded: Awaited<ReturnType<typeof seedAi>>
let internalDep: { id: string }
let limited: { id: string }
let limitedDep: { id: string }

beforeAll(async () => {
  fake = await startFakeLlm('Hello from fake')
  // Stands in for an internal service on a loopback port: it would answer like a model server, with a secret.
  internal = await startLocalServer((_req, res) => sendJson(res, 200, { id: 'gpt-fake', object: 'model', secret: 'internal-secret' }))
  env = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: new URL(fake.v1).host })
  owner = await seedTenant(env.db.prisma)
  seeded = await seedAi(env.db.prisma, owner.tenantId, fake.v1)
  const model = await createModel(env.db.prisma, owner.tenantId, { name: 'inside', provider: 'openai', modelId: 'gpt-fake', contextLength: 16_000 })
  internalDep = await createDeployment(env.db.prisma, owner.tenantId, { name: 'internal', aiModelId: model.id, baseUrl: `${internal.origin}/v1`, credentialId: seeded.cred.id })
  // Allow-listed by the outbound guard, but its key is limited to api.openai.com.
  limited = await getCredentialStore().create(owner.tenantId, { name: 'limited key', kind: 'openai', data: { apiKey: 'sk-limited' }, allowedHosts: ['api.openai.com'] })
  limitedDep = await createDeployment(env.db.prisma, owner.tenantId, { name: 'limited', aiModelId: seeded.model.id, baseUrl: fake.v1, credentialId: limited.id })
})
afterAll(async () => {
  await getAiRouter().ledger.flush()
  await closeAppServices()
  await internal?.close()
  await fake?.close()
  await env?.teardown()
})

describe('AI deployments behind the outbound guard', () => {
  it('"test connection" refuses a loopback baseUrl that is not allow-listed, naming baseUrl, and sends nothing', async () => {
    const res = await call(testRoute.POST, { method: 'POST', headers: owner.headers, params: { id: internalDep.id } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ ok: false, error: expect.stringMatching(/baseUrl.*Blocked request to 127\.0\.0\.1.*AUTERITY_HTTP_ALLOWLIST/) })
    expect(JSON.stringify(res.json)).not.toContain('internal-secret')
    expect(internal.received).toHaveLength(0)
    // The allow-listed fake still answers: the guard is not a blanket refusal.
    expect((await call(testRoute.POST, { method: 'POST', headers: owner.headers, params: { id: seeded.backup.id } })).json).toMatchObject({ ok: true })
  })

  it.each([[false], [true]])('an LLM Chat step on that deployment (stream: %s) fails with AI_BASE_URL_BLOCKED and sends nothing', async (stream) => {
    const llm = { id: 'chat', type: 'llm-chat', name: 'Chat', params: { model: 'internal', userMessage: 'hi', stream } }
    const created = await call(workflows.POST, { method: 'POST', headers: owner.headers, body: { name: 'Chat', graph: chain(node.manual(), llm) } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const res = await call(testStepRoute.POST, { method: 'POST', headers: owner.headers, params: { id: created.json.id }, body: { nodeId: 'chat', input: [{}] } })
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'AI_BASE_URL_BLOCKED', field: 'baseUrl', message: expect.stringMatching(/Deployment "internal" baseUrl: Blocked/) } })
    expect(internal.received).toHaveLength(0)
  })

  it('the OpenAI-compatible endpoint answers 422 naming baseUrl and sends nothing', async () => {
    const res = await call(completions.POST, { method: 'POST', headers: owner.headers, body: { model: 'internal', messages: [{ role: 'user', content: 'hi' }] } })
    expect(res.status).toBe(422)
    expect(res.json.error).toMatchObject({ code: 'AI_BASE_URL_BLOCKED', fields: { baseUrl: expect.stringMatching(/Blocked request/) } })
    expect(internal.received).toHaveLength(0)
  })

  it('a deployment whose credential is limited to other hosts: test connection and the endpoint refuse, nothing is sent', async () => {
    const seen = fake.seen.length
    const tested = await call(testRoute.POST, { method: 'POST', headers: owner.headers, params: { id: limitedDep.id } })
    expect(tested.json).toMatchObject({ ok: false, error: expect.stringMatching(/Credential "limited key" may not be sent to 127\.0\.0\.1:\d+: it is limited to api\.openai\.com/) })
    const res = await call(completions.POST, { method: 'POST', headers: owner.headers, body: { model: 'limited', messages: [{ role: 'user', content: 'hi' }] } })
    expect(res.status).toBe(422)
    expect(res.json.error).toMatchObject({ code: 'AI_BASE_URL_BLOCKED', message: expect.stringMatching(/may not be sent to 127\.0\.0\.1/) })
    expect(fake.seen.length).toBe(seen)
    // The same deployment with the fake's host listed reaches it.
    await getCredentialStore().update(owner.tenantId, limited.id, { allowedHosts: [new URL(fake.v1).host] })
    expect((await call(testRoute.POST, { method: 'POST', headers: owner.headers, params: { id: limitedDep.id } })).json).toMatchObject({ ok: true })
    expect(fake.seen.length).toBeGreaterThan(seen)
  })
})
