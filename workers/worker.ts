// Worker process: takes execution jobs from the queue and runs them. SIGTERM/SIGINT drain running jobs, then exit 0.
import { env, requireDatabaseUrl, requireRedisUrl } from '../lib/env'
import { createPrisma } from '../lib/db/client'
import { nodeRegistry } from '../lib/nodes/registry'
import { getDecryptedCredential } from '../lib/credentials'
import { startWorkerRuntime } from '../lib/services/worker-runtime'
import { createRedis, redisDurabilityWarnings } from '../lib/redis'
import { createAiServices } from '../lib/ai'
import { createGuardedFetch } from '../lib/net/ssrf'

const config = env()
// Each running job holds a connection for a few short statements per step: size the pool to the concurrency.
const prisma = createPrisma(requireDatabaseUrl(), { max: Math.max(10, Math.min(40, config.worker.concurrency)) })
// One AI router per process: circuit breakers, latency stats and the batched usage ledger live in it.
// AI deployments' base URLs are user-supplied: the SDKs call out through the same guard as the HTTP node.
const aiFetch = createGuardedFetch({ ...config.http, field: 'baseUrl' })
const aiServices = createAiServices({ prisma, fetch: aiFetch.fetch })
const worker = await startWorkerRuntime({
  prisma,
  redisUrl: requireRedisUrl(),
  queuePrefix: config.queuePrefix,
  worker: config.worker,
  leaseMs: config.worker.leaseMs,
  reconciler: config.reconciler,
  http: config.http,
  limits: config.limits,
  registry: nodeRegistry,
  getCredential: (tenantId, id) => getDecryptedCredential(tenantId, id),
  extra: aiServices,
})
const probe = createRedis(requireRedisUrl())
for (const line of await redisDurabilityWarnings(probe)) console.warn(line)
probe.disconnect()
console.log(`[worker] ready (pid ${process.pid}, concurrency ${config.worker.concurrency})`)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`[worker] ${signal}: draining running jobs`)
  try {
    await worker.close()
    await aiServices.ai.ledger.flush()
    await aiFetch.close()
    await prisma.$disconnect()
    process.exit(0)
  } catch (err) {
    console.error('[worker] shutdown failed', err)
    process.exit(1)
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
