// Worker process: takes execution jobs from the queue and runs them. SIGTERM/SIGINT drain running jobs, then exit 0.
import { env, requireDatabaseUrl, requireRedisUrl } from '../lib/env'
import { getPrisma } from '../lib/db/client'
import { nodeRegistry } from '../lib/nodes/registry'
import { getDecryptedCredential } from '../lib/credentials'
import { startWorkerRuntime } from '../lib/services/worker-runtime'

requireDatabaseUrl()
const config = env()
const prisma = getPrisma()
const worker = await startWorkerRuntime({
  prisma,
  redisUrl: requireRedisUrl(),
  queuePrefix: config.queuePrefix,
  worker: config.worker,
  http: config.http,
  registry: nodeRegistry,
  getCredential: (tenantId, id) => getDecryptedCredential(tenantId, id),
})
console.log(`[worker] ready (pid ${process.pid}, concurrency ${config.worker.concurrency})`)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`[worker] ${signal}: draining running jobs`)
  try {
    await worker.close()
    await prisma.$disconnect()
    process.exit(0)
  } catch (err) {
    console.error('[worker] shutdown failed', err)
    process.exit(1)
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
