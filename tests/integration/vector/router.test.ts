// The vector host embedding through a real AiRouter (PostgreSQL registry and ledger) and the openai SDK against the
// fake embeddings server over HTTP: the collection's dimension from the deployment, documents' costs matching the
// ledger, the router's own errors passed through with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAiRouter } from '../../../lib/ai'
import { usdToPico } from '../../../lib/ai/pricing'
import type { AiRouter } from '../../../lib/ai/router'
import { createModel, createDeployment } from '../../../lib/models/registry'
import { createGuardedFetch, type GuardedFetch } from '../../../lib/net/ssrf'
import { createVectorHost, type VectorHostWithClose } from '../../../lib/vector/host'
import type { VectorScope } from '../../../lib/vector/types'
import { EMBED_DIM, EMBED_MODEL, useEmbeddingEnv } from '../ai/embed-setup'

/** The tenant's registry with embedding deployments on two fake servers, a router over it, a host on a temp folder. */
async function routerBed() {
  const t = await useEmbeddingEnv()
  const guarded: GuardedFetch = createGuardedFetch({ allowList: t.hosts, field: 'baseUrl' })
  const router: AiRouter = createAiRouter({ prisma: t.env.db.prisma, fetch: guarded.fetch, retryBackoffMs: 1 })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-vectors-'))
  const host: VectorHostWithClose = createVectorHost({ prisma: t.env.db.prisma, ai: router, uri: dir })
  const scope: VectorScope = { tenantId: t.tenant.tenantId, workflowId: 'wf-rag', executionId: 'ex-1', stepId: 'ingest' }
  const teardown = async () => {
    await host.close()
    await router.ledger.flush()
    await guarded.close()
    await t.teardown()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { ...t, router, host, scope, teardown }
}

let bed: Awaited<ReturnType<typeof routerBed>>
beforeAll(async () => {
  bed = await routerBed()
})
afterAll(async () => {
  await bed?.teardown()
})

const ledger = async () => {
  await bed.router.ledger.flush()
  return bed.env.db.prisma.aiUsage.findMany({ where: { tenantId: bed.tenant.tenantId }, orderBy: { createdAt: 'asc' } })
}

describe('embeddings through the router', () => {
  it('takes the dimension from the deployment, and costs each document as the ledger does', async () => {
    const info = await bed.host.createCollection(bed.scope, { name: 'docs', embedding: 'vectors' })
    expect(info.dimension).toBe(EMBED_DIM)
    const results = await bed.host.ingest(bed.scope, 'docs', [
      { key: 'a', text: 'Invoices are due within thirty days of issue.' },
      { key: 'b', text: 'Refunds go back to the card used to pay.' },
      { key: 'c', text: 'Support answers within one business day.' },
    ])
    const rows = await ledger()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ target: 'vectors', deploymentName: 'embed-a', workflowId: 'wf-rag', executionId: 'ex-1', stepId: 'ingest', outcome: 'ok' })
    const total = results.reduce((n, r) => n + usdToPico(r.costUsd), 0n)
    expect(total).toBeGreaterThan(0n)
    expect(total).toBe(usdToPico(rows[0].costUsd.toFixed(12)))
    expect(bed.a.seen.at(-1)).toMatchObject({ model: EMBED_MODEL, inputs: 3 })

    const res = await bed.host.search(bed.scope, 'docs', { query: 'when are invoices due', mode: 'vector', topK: 1 })
    expect(res.hits[0].documentKey).toBe('a')
    expect(res.embedding).toMatchObject({ deployment: 'embed-a' })
    expect(usdToPico(res.embedding!.costUsd)).toBeGreaterThan(0n)
    expect(await ledger()).toHaveLength(2)
  })

  it('passes the router\'s wrong-dimension error through and keeps the old version searchable', async () => {
    await bed.host.createCollection(bed.scope, { name: 'single', embedding: 'embed-b' })
    await bed.host.ingest(bed.scope, 'single', [{ key: 'policy', text: 'Old policy: returns within 14 days.' }])
    const seen = bed.b.seen.length
    bed.b.script(EMBED_MODEL, { wrongDimension: 32 })
    await expect(bed.host.ingest(bed.scope, 'single', [{ key: 'policy', text: 'New policy: returns within 30 days.' }])).rejects.toMatchObject({ code: 'AI_EMBEDDING_DIMENSION', status: 502 })
    expect(bed.b.seen.length).toBe(seen + 1)
    const res = await bed.host.search(bed.scope, 'single', { query: 'returns policy', topK: 5 })
    expect(res.hits.map((h) => h.text)).toEqual(['Old policy: returns within 14 days.'])
  })

  it('refuses a collection whose embedding target is unknown or a chat deployment, naming `embedding`', async () => {
    const chat = await createModel(bed.env.db.prisma, bed.tenant.tenantId, { name: 'chatty', provider: 'openai', modelId: 'gpt-fake', contextLength: 8000 })
    await createDeployment(bed.env.db.prisma, bed.tenant.tenantId, { name: 'chat-dep', aiModelId: chat.id, baseUrl: bed.a.v1, credentialId: bed.seeded.cred.id })
    bed.router.catalog.invalidate(bed.tenant.tenantId)
    for (const embedding of ['nowhere', 'chat-dep']) {
      await expect(bed.host.createCollection(bed.scope, { name: `x-${embedding}`, embedding })).rejects.toMatchObject({ code: 'VECTOR_EMBEDDING_NOT_FOUND', status: 400, field: 'embedding' })
    }
    expect(await bed.host.getCollection(bed.scope, 'x-chat-dep')).toBeNull()
  })
})
