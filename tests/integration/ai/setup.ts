// Seeds a tenant with an encrypted OpenAI credential and deployments pointing at a fake LLM server.
import type { PrismaClient } from '../../../lib/db/generated/client'
import { createAiServices } from '../../../lib/ai'
import { getCredentialStore } from '../../../lib/credentials'
import { createDeployment, createModel, upsertRoute } from '../../../lib/models/registry'
import { createGuardedFetch } from '../../../lib/net/ssrf'
import { startFakeLlm } from '../../fakes/llm-server'
import { seedTenant } from '../../helpers/db'

export async function seedAi(prisma: PrismaClient, tenantId: string, fakeV1: string) {
  const cred = await getCredentialStore().create(tenantId, { name: 'fake openai', kind: 'openai', data: { apiKey: 'sk-fake' } })
  const model = await createModel(prisma, tenantId, { name: 'fake-gpt', provider: 'openai', modelId: 'gpt-fake', contextLength: 16_000, supportsTools: true, supportsJson: true, inputPricePerM: 0.15, outputPricePerM: 0.6 })
  const claude = await createModel(prisma, tenantId, { name: 'fake-claude', provider: 'anthropic', modelId: 'claude-fake', contextLength: 16_000, supportsTools: true, supportsJson: true, inputPricePerM: 3, outputPricePerM: 15 })
  const anthropicCred = await getCredentialStore().create(tenantId, { name: 'fake anthropic', kind: 'anthropic', data: { apiKey: 'sk-ant-fake' } })
  const primary = await createDeployment(prisma, tenantId, { name: 'primary', aiModelId: claude.id, baseUrl: fakeV1, credentialId: anthropicCred.id, timeoutMs: 10_000 })
  const backup = await createDeployment(prisma, tenantId, { name: 'backup', aiModelId: model.id, baseUrl: fakeV1, credentialId: cred.id })
  await upsertRoute(prisma, tenantId, { name: 'main', strategy: 'failover', deployments: ['primary', 'backup'] })
  return { cred, model, claude, primary, backup }
}

/** A tenant whose deployments answer from a fake LLM, and the AI host services to run its nodes with (the fake on
 * 127.0.0.1 is reachable only because their outbound guard allow-lists it, with the `allow` hosts). `close()` stops
 * the fake and the guard. */
export async function startAiTenant(prisma: PrismaClient, opts: { allow?: string[] } = {}) {
  const fake = await startFakeLlm('unused')
  const owner = await seedTenant(prisma)
  await seedAi(prisma, owner.tenantId, fake.v1)
  const guarded = createGuardedFetch({ allowList: [new URL(fake.v1).host, ...(opts.allow ?? [])], field: 'baseUrl' })
  const services = createAiServices({ prisma, ledgerDelayMs: 0, fetch: guarded.fetch })
  return {
    fake,
    owner,
    services,
    async close() {
      await fake.close()
      await guarded.close()
    },
  }
}
