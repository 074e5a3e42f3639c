// "Test connection" through the official openai and @anthropic-ai/sdk clients, against the local fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDeployment, createModel } from '../../../lib/models/registry'
import * as testRoute from '../../../app/api/ai/deployments/[id]/test/route'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call } from '../backbone/support'
import { seedAi } from './setup'

let env: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeLlm
let owner: SeededTenant
let seeded: Awaited<ReturnType<typeof seedAi>>

beforeAll(async () => {
  fake = await startFakeLlm('unused')
  // The web process's guard lets the fake LLM on 127.0.0.1 through only because it is allow-listed here.
  env = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: new URL(fake.v1).host })
  owner = await seedTenant(env.db.prisma)
  seeded = await seedAi(env.db.prisma, owner.tenantId, fake.v1)
})
afterAll(async () => {
  await fake?.close()
  await env?.teardown()
})

const test = (id: string, tenant = owner) => call(testRoute.POST, { method: 'POST', headers: tenant.headers, params: { id } })

describe('deployment connection check', () => {
  it('looks the model up with the provider SDK and sends the stored key', async () => {
    const anthropic = await test(seeded.primary.id)
    expect(anthropic.json).toMatchObject({ ok: true, provider: 'anthropic', modelId: 'claude-fake' })
    const seen = fake.seen.at(-1)!
    expect(seen).toMatchObject({ method: 'GET', path: '/v1/models/claude-fake' })
    expect(seen.headers['anthropic-version']).toBeTruthy()
    expect(seen.headers['x-api-key'] ?? seen.headers.authorization).toMatch(/sk-ant-fake/)

    const openai = await test(seeded.backup.id)
    expect(openai.json).toMatchObject({ ok: true, provider: 'openai', modelId: 'gpt-fake' })
    expect(fake.seen.at(-1)!.headers.authorization).toBe('Bearer sk-fake')
  })

  it('reports what the provider refused, without failing the request', async () => {
    const model = await createModel(env.db.prisma, owner.tenantId, { name: 'ghost', provider: 'openai', modelId: 'missing-model', contextLength: 8000 })
    const dep = await createDeployment(env.db.prisma, owner.tenantId, { name: 'ghost-dep', aiModelId: model.id, baseUrl: fake.v1, credentialId: seeded.cred.id })
    const res = await test(dep.id)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ ok: false, modelId: 'missing-model', error: expect.stringMatching(/404.*does not exist/) })
  })

  it('is tenant-scoped', async () => {
    const other = await seedTenant(env.db.prisma)
    expect((await test(seeded.primary.id, other)).status).toBe(404)
  })
})
