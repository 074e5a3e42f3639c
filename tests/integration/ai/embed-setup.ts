// Seeds a tenant with an embedding model (64 dimensions, $0.02 / 1M input tokens) and two deployments of it on two
// fake embedding servers, plus a route over both, and a chat model on the first for the wrong-kind checks.
import type { PrismaClient } from '../../../lib/db/generated/client'
import { getCredentialStore } from '../../../lib/credentials'
import { createDeployment, createModel, upsertRoute } from '../../../lib/models/registry'
import { startFakeEmbeddings } from '../../fakes/embeddings'
import { seedTenant, useTestEnv } from '../../helpers/db'

export const EMBED_DIM = 64
export const EMBED_MODEL = 'embed-fake'

/**
 * Two embedding servers (two deployments of one model that can answer differently), a test database whose outbound
 * guard lets exactly those two through (the web process's router and "test connection" use it), and a seeded tenant.
 */
export async function useEmbeddingEnv(opts: { maxRetries?: number } = {}) {
  const [a, b] = await Promise.all([startFakeEmbeddings({ dim: EMBED_DIM, thesaurus: {} }), startFakeEmbeddings({ dim: EMBED_DIM, thesaurus: {} })])
  const hosts = [a, b].map((f) => new URL(f.v1).host)
  const env = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: hosts.join(',') })
  const tenant = await seedTenant(env.db.prisma)
  const seeded = await seedEmbeddings(env.db.prisma, tenant.tenantId, a.v1, b.v1, opts)
  const teardown = async () => {
    await Promise.all([a.close(), b.close()])
    await env.teardown()
  }
  return { env, a, b, hosts, tenant, seeded, teardown }
}

export async function seedEmbeddings(prisma: PrismaClient, tenantId: string, v1a: string, v1b: string, opts: { apiKey?: string; maxRetries?: number } = {}) {
  const cred = await getCredentialStore().create(tenantId, { name: 'embeddings key', kind: 'openai', data: { apiKey: opts.apiKey ?? 'sk-embed' } })
  const model = await createModel(prisma, tenantId, { name: 'embedder', provider: 'openai', modelId: EMBED_MODEL, kind: 'embedding', dimensions: EMBED_DIM, contextLength: 8191, inputPricePerM: 0.02 })
  const a = await createDeployment(prisma, tenantId, { name: 'embed-a', aiModelId: model.id, baseUrl: v1a, credentialId: cred.id, maxRetries: opts.maxRetries ?? 0, timeoutMs: 10_000 })
  const b = await createDeployment(prisma, tenantId, { name: 'embed-b', aiModelId: model.id, baseUrl: v1b, credentialId: cred.id })
  await upsertRoute(prisma, tenantId, { name: 'vectors', strategy: 'failover', deployments: ['embed-a', 'embed-b'] })
  return { cred, model, a, b }
}

/** What tests/fakes/embeddings.ts bills: ceil(chars / 4) per input, at least 1. */
export const fakeTokens = (inputs: string[]) => inputs.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0)
