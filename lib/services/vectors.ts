// The web process's vector host: one per process over getPrisma() and the web AI router, shared by the collections
// API (app/api/collections/**), the collection page and "test this step" (./node-runtime.ts). LanceDB keeps open
// tables and a connection per store, so two hosts in one process would hold everything twice.
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { getAiRouter } from '../ai/service'
import { createVectorHost, type VectorHostWithClose } from '../vector/host'

export function webVectors(): VectorHostWithClose {
  const web = webProcess()
  web.vectors ??= createVectorHost({ ...env().vectors, prisma: getPrisma(), ai: getAiRouter() })
  return web.vectors
}

/** Tests that re-point the process at another database or store: the next webVectors() makes a new host. */
export async function closeWebVectors(): Promise<void> {
  const web = webProcess()
  const host = web.vectors
  web.vectors = undefined
  await host?.close().catch(() => undefined)
}
