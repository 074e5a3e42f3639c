// Seeds a tenant with an embedding model (64 dimensions, $0.02 / 1M input tokens) and two deployments of it on two
// fake embedding servers, plus a route over both, and a chat model on the first for the wrong-kind checks.
import type { PrismaClient } from '../../../lib/db/generated/client'
import { getCredentialStore } from '../../../lib/credentials'
import { createDeployment, createModel, upsertRoute } from '../../../lib/models/registry'
import { startFakeEmbeddings, type FakeEmbeddings } from '../../fakes/embeddings'

export const EMBED_DIM = 64
export const EMBED_MODEL = 'embed-fake'

/** Two embedding servers (two deployments of one model that can answer differently) and their host:port, which
 * the outbound guard must allow. */
export async function startEmbeddingPair(): Promise<{ a: FakeEmbeddings; b: FakeEmbeddings; hosts: string[] }> {
  const [a, b] = await Promise.all([startFakeEmbeddings({ dim: EMBED_DIM, thesaurus: {} }), startFakeEmbeddings({ dim: EMBED_DIM, thesaurus: {} })])
  return { a, b, hosts: [a, b].map((f) => new URL(f.v1).host) }
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
