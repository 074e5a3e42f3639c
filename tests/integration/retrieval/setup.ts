// A worker for the retrieval nodes: its own database and queue prefix, a real vector host (LanceDB in a temporary
// folder), embeddings through the router from the fake embeddings server (deployment "embed-a", 64 dimensions),
// answers from the fake LLM (deployment "backup"), files in memory.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { closeAppServices } from '../../../lib/services/app'
import { prismaDedupeHistory } from '../../../lib/services/dedupe-history'
import { createVectorHost } from '../../../lib/vector/host'
import { startFakeEmbeddings } from '../../fakes/embeddings'
import { useTestEnv } from '../../helpers/db'
import { memoryFiles } from '../../helpers/files'
import { startTestWorker } from '../../helpers/worker'
import { EMBED_DIM, seedEmbeddings } from '../ai/embed-setup'
import { startAiTenant } from '../ai/setup'

export type RetrievalBed = Awaited<ReturnType<typeof startRetrievalBed>>

export async function startRetrievalBed() {
  const env = await useTestEnv()
  const embeddings = await startFakeEmbeddings({ dim: EMBED_DIM })
  const ai = await startAiTenant(env.db.prisma, { allow: [new URL(embeddings.v1).host] })
  await seedEmbeddings(env.db.prisma, ai.owner.tenantId, embeddings.v1, embeddings.v1)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrieval-nodes-'))
  const vectors = createVectorHost({ prisma: env.db.prisma, ai: ai.services.ai, uri: dir })
  const files = memoryFiles()
  const worker = await startTestWorker(env, { services: { ...ai.services, dedupeHistory: prismaDedupeHistory(env.db.prisma), files, vectors } })
  return {
    prisma: env.db.prisma,
    fake: ai.fake,
    owner: ai.owner,
    vectors,
    files,
    async close() {
      await worker.close()
      await vectors.close()
      await closeAppServices()
      await ai.close()
      await embeddings.close()
      await env.teardown()
      fs.rmSync(dir, { recursive: true, force: true })
      fs.rmSync(files.root, { recursive: true, force: true })
    },
  }
}
