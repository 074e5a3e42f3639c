// Worker process: takes execution jobs from the queue and runs them. SIGTERM/SIGINT drain running jobs, then exit 0.
// A worker whose in-process sandbox lost an isolate for good recycles itself: it stops taking jobs, drains the ones
// it has and ends, and its supervisor (`npm start`, an orchestrator) starts a fresh one.
import { env, requireDatabaseUrl, requireRedisUrl } from '../lib/env'
import { createPrisma } from '../lib/db/client'
import { nodeRegistry } from '../lib/nodes/registry'
import { getDecryptedCredential } from '../lib/credentials'
import { startWorkerRuntime } from './runtime/worker-runtime'
import { createRedis, redisDurabilityWarnings } from '../lib/redis'
import { createAiServices } from '../lib/ai'
import { createGuardedFetch } from '../lib/net/ssrf'
import { prismaDedupeHistory } from '../lib/services/dedupe-history'
import { createFileService } from '../lib/files'
import { startAuditPrune } from '../lib/audit/retention'
import { startTracing } from '../lib/telemetry/tracing'

const config = env()
// First, so the spans of everything below have a provider; off (nothing registered) without an OTLP endpoint.
const tracing = startTracing({ tracesUrl: config.tracing.tracesUrl, serviceName: config.tracing.serviceName ?? 'auterity-worker' })
const { drainMs, ...workerConfig } = config.worker
// Each running job holds a connection for a few short statements per step: size the pool to the concurrency.
const prisma = createPrisma(requireDatabaseUrl(), { max: Math.max(10, Math.min(40, config.worker.concurrency)) })
// One AI router per process: circuit breakers, latency stats and the batched usage ledger live in it.
// AI deployments' base URLs are user-supplied: the SDKs call out through the same guard as the HTTP node.
const aiFetch = createGuardedFetch({ ...config.http, field: 'baseUrl' })
const aiServices = createAiServices({ prisma, fetch: aiFetch.fetch })
const files = createFileService(prisma, config.files)
const worker = await startWorkerRuntime({
  prisma,
  redisUrl: requireRedisUrl(),
  queuePrefix: config.queuePrefix,
  worker: workerConfig,
  leaseMs: config.worker.leaseMs,
  reconciler: config.reconciler,
  http: config.http,
  limits: config.limits,
  fairness: config.fairness,
  sandbox: config.sandbox,
  registry: nodeRegistry,
  getCredential: (tenantId, id) => getDecryptedCredential(tenantId, id),
  services: { ...aiServices, dedupeHistory: prismaDedupeHistory(prisma), files },
  sweepFiles: () => files.sweep(),
  subWorkflows: { maxDepth: config.subWorkflows.maxDepth, studioUrl: config.publicUrl },
  onSandboxDamaged: () => void shutdown('recycling: an expression ran out of memory and left a stuck isolate behind'),
})
// Entries past AUTERITY_AUDIT_RETENTION_DAYS (or a workspace's shorter setting) are deleted hourly.
const auditPrune = startAuditPrune(prisma, config.audit.retentionDays)
const probe = createRedis(requireRedisUrl())
for (const line of await redisDurabilityWarnings(probe)) console.warn(line)
probe.disconnect()
console.log(`[worker] ready (pid ${process.pid}, concurrency ${config.worker.concurrency})`)

let stopping = false
async function shutdown(reason: string) {
  if (stopping) return
  stopping = true
  console.log(`[worker] ${reason}: draining running jobs`)
  let code = 0
  try {
    let timer: NodeJS.Timeout | undefined
    const drained = await Promise.race([
      worker.close().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
    ])
    clearTimeout(timer)
    if (!drained) console.error(`[worker] jobs still running after ${drainMs} ms: they are redelivered to another worker`)
    await auditPrune.stop()
    await aiServices.ai.ledger.flush()
    await aiFetch.close()
    await files.close()
    await prisma.$disconnect()
    // The last spans (the drained runs') are exported before the process ends.
    await tracing.stop()
  } catch (err) {
    console.error('[worker] shutdown failed', err)
    code = 1
  }
  // process.exit waits for a stuck isolate thread during teardown, forever: end such a process outright.
  if (worker.sandboxHealth().catastrophicErrors > 0) process.kill(process.pid, 'SIGKILL')
  process.exit(code)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
