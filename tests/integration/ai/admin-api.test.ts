// The AI admin routes over HTTP: register a model and deployment, set a budget, read usage; roles enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POST as postBudget, GET as getBudgets } from '../../../app/api/ai/budgets/route'
import { POST as postDeployment } from '../../../app/api/ai/deployments/route'
import { POST as postModel } from '../../../app/api/ai/models/route'
import { GET as getRegistry } from '../../../app/api/ai/registry/route'
import { GET as getUsage } from '../../../app/api/ai/usage/route'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { serveRoutes } from './serve-route'

let env: Awaited<ReturnType<typeof useTestEnv>>
let server: Awaited<ReturnType<typeof serveRoutes>>
let admin: Awaited<ReturnType<typeof seedTenant>>
let viewer: Awaited<ReturnType<typeof seedTenant>>

beforeAll(async () => {
  env = await useTestEnv()
  admin = await seedTenant(env.db.prisma)
  viewer = await seedTenant(env.db.prisma, { role: 'viewer' })
  server = await serveRoutes({
    '/api/ai/models': { POST: postModel },
    '/api/ai/deployments': { POST: postDeployment },
    '/api/ai/budgets': { GET: getBudgets, POST: postBudget },
    '/api/ai/registry': { GET: getRegistry },
    '/api/ai/usage': { GET: getUsage },
  })
})
afterAll(async () => {
  await server?.close()
  await env?.teardown()
})

const call = (path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${server.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })

describe('AI admin API', () => {
  it('registers a model with known default prices and a deployment, and lists them', async () => {
    const m = await call('/api/ai/models', admin.headers, { name: 'mini', provider: 'openai', modelId: 'gpt-4o-mini', supportsTools: true })
    expect(m.status).toBe(201)
    const model = await m.json()
    expect(model).toMatchObject({ inputPricePerM: 0.15, outputPricePerM: 0.6, contextLength: 128_000 })
    expect((await call('/api/ai/deployments', admin.headers, { name: 'mini-prod', aiModelId: model.id })).status).toBe(201)
    const reg = await (await call('/api/ai/registry', admin.headers)).json()
    expect(reg.models[0]).toMatchObject({ name: 'mini', deployments: [expect.objectContaining({ name: 'mini-prod', status: 'active' })] })
  })

  it('names the bad field, and refuses duplicates', async () => {
    const bad = await call('/api/ai/models', admin.headers, { name: 'x', provider: 'gemini', modelId: 'y' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.fields).toHaveProperty('provider')
    expect((await call('/api/ai/models', admin.headers, { name: 'mini', provider: 'openai', modelId: 'gpt-4o-mini' })).status).toBe(409)
  })

  it('sets budgets and reports what is left; viewers may read but not write', async () => {
    expect((await call('/api/ai/budgets', admin.headers, { period: 'day', limitUsd: '2.50' })).status).toBe(200)
    const { budgets } = await (await call('/api/ai/budgets', admin.headers)).json()
    expect(budgets).toEqual([expect.objectContaining({ period: 'day', limitUsd: '2.5', spentUsd: '0.000000000000', leftUsd: '2.500000000000' })])
    expect((await call('/api/ai/budgets', viewer.headers, { period: 'day', limitUsd: 1 })).status).toBe(403)
    const usage = await (await call('/api/ai/usage?days=7', viewer.headers)).json()
    expect(usage).toMatchObject({ totals: { calls: 0 }, budgets: [] })
  })
})
