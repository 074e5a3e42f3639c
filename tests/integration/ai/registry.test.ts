// Registry, performance from the ledger, evaluations, fine-tuning and conversation memory over a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAiRouter, credentialStoreResolver } from '../../../lib/ai'
import type { DeploymentAccess } from '../../../lib/ai/providers'
import { createGuardedFetch, type GuardedFetch } from '../../../lib/net/ssrf'
import { prismaConversationStore } from '../../../lib/ai/memory'
import type { AiRouter } from '../../../lib/ai/router'
import { runEvaluation } from '../../../lib/models/evaluations'
import { refreshFineTune, startFineTune } from '../../../lib/models/fine-tuning'
import { usageReport } from '../../../lib/models/performance'
import { listBudgets, listRegistry, setBudget, updateModel, upsertRoute } from '../../../lib/models/registry'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { seedAi } from './setup'

let env: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeLlm
let tenant: Awaited<ReturnType<typeof seedTenant>>
let router: AiRouter
let seeded: Awaited<ReturnType<typeof seedAi>>
let guarded: GuardedFetch
let access: DeploymentAccess

beforeAll(async () => {
  env = await useTestEnv()
  fake = await startFakeLlm('Paris')
  tenant = await seedTenant(env.db.prisma)
  seeded = await seedAi(env.db.prisma, tenant.tenantId, fake.v1)
  // The fake LLM on 127.0.0.1 is reachable only because it is allow-listed here.
  guarded = createGuardedFetch({ allowList: [new URL(fake.v1).host], field: 'baseUrl' })
  access = { credentials: credentialStoreResolver, fetch: guarded.fetch }
  router = createAiRouter({ prisma: env.db.prisma, fetch: guarded.fetch })
})
afterAll(async () => {
  await router?.ledger.flush()
  await fake?.close()
  await guarded?.close()
  await env?.teardown()
})

describe('model registry', () => {
  it('lists models with prices per 1M tokens and routes', async () => {
    const reg = await listRegistry(env.db.prisma, tenant.tenantId)
    expect(reg.models.find((m) => m.name === 'fake-gpt')).toMatchObject({ inputPricePerM: 0.15, outputPricePerM: 0.6, deployments: [expect.objectContaining({ name: 'backup' })] })
    expect(reg.routes[0]).toMatchObject({ name: 'main', deployments: ['primary', 'backup'] })
  })

  it('applies an edited price to the next call', async () => {
    await updateModel(env.db.prisma, tenant.tenantId, seeded.model.id, { inputPricePerM: 1, outputPricePerM: 1 }, (t) => router.catalog.invalidate(t))
    fake.script('gpt-fake', { text: 'x', usage: { input: 1_000_000, output: 1_000_000 } })
    expect((await router.chat({ target: 'backup', messages: [{ role: 'user', content: 'hi' }] }, { tenantId: tenant.tenantId })).costUsd).toBe('2.000000000000')
    await updateModel(env.db.prisma, tenant.tenantId, seeded.model.id, { inputPricePerM: 0.15, outputPricePerM: 0.6 }, (t) => router.catalog.invalidate(t))
  })

  it('reports spend and what is left on budgets, and per-deployment performance from the ledger', async () => {
    fake.script('claude-fake', { status: 500 })
    await router.chat({ target: 'main', messages: [{ role: 'user', content: 'hi' }] }, { tenantId: tenant.tenantId, workflowId: 'wf-1' })
    await router.ledger.flush()
    await setBudget(env.db.prisma, tenant.tenantId, { period: 'month', limitUsd: 5 })
    const [b] = await listBudgets(env.db.prisma, tenant.tenantId)
    expect(b).toMatchObject({ period: 'month', limitUsd: '5', spentUsd: expect.stringMatching(/^2\.0000/) })
    const report = await usageReport(env.db.prisma, tenant.tenantId, 7)
    expect(report.totals.calls).toBe(2)
    expect(report.byDay).toHaveLength(1)
    expect(report.deploymentDays).toEqual([expect.objectContaining({ deploymentName: 'backup', calls: 2, errors: 0 })])
    const backup = report.deployments.find((d) => d.deploymentName === 'backup')!
    expect(backup).toMatchObject({ calls: 2, errors: 0, fallbacksServed: 1, provider: 'openai' })
    expect(backup.p95Ms).toBeGreaterThanOrEqual(0)
    // The primary's failed attempt (failed over to backup) counts as a call and an error of the primary.
    expect(report.deployments.find((d) => d.deploymentName === 'primary')).toMatchObject({ calls: 1, errors: 1, errorRate: 1 })
    expect(report.byWorkflow.map((w) => w.workflowId).sort()).toEqual(['wf-1', null].sort())
  })
})

describe('fastest policy', () => {
  it('starts from the latencies measured on the ledger', async () => {
    await upsertRoute(env.db.prisma, tenant.tenantId, { name: 'quick', strategy: 'fastest', deployments: ['primary', 'backup'] })
    const row = (d: typeof seeded.primary, latencyMs: number) => ({ tenantId: tenant.tenantId, target: 'x', deploymentId: d.id, deploymentName: d.name, costUsd: '0', latencyMs, outcome: 'ok' })
    await env.db.prisma.aiUsage.createMany({ data: [...Array(30).fill(row(seeded.primary, 5000)), ...Array(30).fill(row(seeded.backup, 40))] })
    const fresh = createAiRouter({ prisma: env.db.prisma, fetch: guarded.fetch })
    const r = await fresh.chat({ target: 'quick', messages: [{ role: 'user', content: 'hi' }] }, { tenantId: tenant.tenantId })
    expect(r.deployment).toBe('backup')
    await fresh.ledger.flush()
  })
})

describe('evaluations', () => {
  it('scores several deployments side by side with cost and latency', async () => {
    fake.script('claude-fake', { text: 'Paris', usage: { input: 10, output: 1 } }, { text: 'Lyon', usage: { input: 10, output: 1 } })
    fake.script('gpt-fake', { text: 'Paris' }, { text: 'Paris is the capital' })
    const ev = await runEvaluation(env.db.prisma, router, tenant.tenantId, {
      name: 'capitals',
      dataset: [{ prompt: 'Capital of France?', expected: 'Paris' }, { prompt: 'Capital of France, again?', expected: 'Paris' }],
      deployments: ['primary', 'backup'],
      scorer: { type: 'contains' },
    })
    const { summary } = ev.results as { summary: { deployment: string; meanScore: number; costUsd: string }[] }
    expect(summary).toEqual([
      expect.objectContaining({ deployment: 'primary', meanScore: 0.5, costUsd: '0.000090000000' }),
      expect.objectContaining({ deployment: 'backup', meanScore: 1 }),
    ])
  })

  it('uses another model as judge', async () => {
    fake.script('claude-fake', { text: 'It is Paris.' })
    fake.script('gpt-fake', { json: { score: 0.8, reason: 'right, wordy' } })
    const ev = await runEvaluation(env.db.prisma, router, tenant.tenantId, {
      name: 'judge',
      dataset: [{ prompt: 'Capital of France?', expected: 'Paris' }],
      deployments: ['primary'],
      scorer: { type: 'llm-judge', judge: 'backup' },
    })
    expect((ev.results as { cases: unknown[] }).cases[0], JSON.stringify(ev.results)).toMatchObject({ score: 0.8, reason: 'right, wordy' })
  })
})

describe('fine-tuning', () => {
  it('uploads the dataset, starts a job, and registers the result as a draft deployment', async () => {
    const examples = Array.from({ length: 10 }, (_, i) => ({ messages: [{ role: 'user' as const, content: `q${i}` }, { role: 'assistant' as const, content: `a${i}` }] }))
    fake.fineTuneStatus = 'running'
    const job = await startFineTune(env.db.prisma, access, tenant.tenantId, { baseDeployment: 'backup', examples, suffix: 'support' })
    expect(job).toMatchObject({ status: 'queued', providerJobId: 'ftjob-1' })
    const upload = fake.seen.find((s) => s.path === '/v1/files')!
    expect(String(upload.body)).toContain('{"messages":[{"role":"user","content":"q0"}')
    expect((await refreshFineTune(env.db.prisma, access, tenant.tenantId, job.id)).status).toBe('running')
    fake.fineTuneStatus = 'succeeded'
    const done = await refreshFineTune(env.db.prisma, access, tenant.tenantId, job.id, (t) => router.catalog.invalidate(t))
    expect(done).toMatchObject({ status: 'succeeded', fineTunedModel: 'ft:gpt-fake:auterity:ftjob-1' })
    const dep = await env.db.prisma.aiDeployment.findUnique({ where: { id: done.registeredDeploymentId! }, include: { model: true } })
    expect(dep).toMatchObject({ status: 'draft', model: { status: 'draft', modelId: 'ft:gpt-fake:auterity:ftjob-1' } })
    // A draft deployment can be called by name (to evaluate it) but is not part of any route.
    const r = await router.chat({ target: dep!.name, messages: [{ role: 'user', content: 'hi' }] }, { tenantId: tenant.tenantId })
    expect(fake.seen.at(-1)!.body.model).toBe('ft:gpt-fake:auterity:ftjob-1')
    expect(r.deployment).toBe(dep!.name)
  })

  it('refuses a non-OpenAI base deployment', async () => {
    const examples = Array.from({ length: 10 }, () => ({ messages: [{ role: 'user' as const, content: 'q' }, { role: 'assistant' as const, content: 'a' }] }))
    await expect(startFineTune(env.db.prisma, access, tenant.tenantId, { baseDeployment: 'primary', examples })).rejects.toMatchObject({ status: 400 })
  })
})

describe('conversation memory store', () => {
  it('keeps sessions per tenant and key', async () => {
    const store = prismaConversationStore(env.db.prisma)
    await store.save(tenant.tenantId, { sessionKey: 'chat-1', messages: [{ role: 'user', content: 'hi' }], summary: 's' })
    expect(await store.load(tenant.tenantId, 'chat-1')).toEqual({ sessionKey: 'chat-1', messages: [{ role: 'user', content: 'hi' }], summary: 's' })
    const other = await seedTenant(env.db.prisma, { name: 'Other' })
    expect((await store.load(other.tenantId, 'chat-1')).messages).toEqual([])
    await store.clear(tenant.tenantId, 'chat-1')
    expect((await store.load(tenant.tenantId, 'chat-1')).messages).toEqual([])
  })
})
