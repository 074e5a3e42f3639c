// Worker process: takes execution jobs from the queue and runs them. SIGTERM/SIGINT drain running jobs, then exit 0.
// A worker whose in-process sandbox lost an isolate for good recycles itself: it stops taking jobs, drains the ones
// it has and ends, and its supervisor (`npm start`, an orchestrator) starts a fresh one. With AUTERITY_METRICS_PORT it
// serves its Prometheus metrics on that port (lib/metrics/server.ts); its logs are JSON lines on stdout (lib/log).
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
import { ExecutionPruner } from './runtime/execution-prune'
import { createMetrics } from '../lib/metrics/metrics'
import { startMetricsServer } from '../lib/metrics/server'
import { log } from '../lib/log'
import { startIdleGc } from '../lib/infra/idle-gc'

const logger = log.child({ component: 'worker' })
import { startTracing } from '../lib/telemetry/tracing'

const config = env()
// First, so the spans of everything below have a provider; off (nothing registered) without an OTLP endpoint.
const tracing = await startTracing({ tracesUrl: config.tracing.tracesUrl, serviceName: config.tracing.serviceName ?? 'auterity-worker' })
const { drainMs, ...workerConfig } = config.worker
// Each running job holds a connection for a few short statements per step: size the pool to the concurrency.
const prisma = createPrisma(requireDatabaseUrl(), { max: Math.max(10, Math.min(40, config.worker.concurrency)) })
// One registry for the process: the runtime counts runs and steps into it, the AI router its calls.
const metrics = createMetrics()
// One AI router per process: circuit breakers, latency stats and the batched usage ledger live in it.
// AI deployments' base URLs are user-supplied: the SDKs call out through the same guard as the HTTP node.
const aiFetch = createGuardedFetch({ ...config.http, field: 'baseUrl' })
const aiServices = createAiServices({ prisma, fetch: aiFetch.fetch, usage: metrics })
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
  onSandboxDamaged: () => {
    // `npm start` (scripts/start.ts) reads this message to restart the worker instead of counting a crash.
    logger.warn({ reason: 'an expression ran out of memory and left a stuck isolate behind' }, 'worker recycling')
    void shutdown('recycling')
  },
  metrics,
})
const metricsServer =
  config.metrics.port !== undefined ? await startMetricsServer({ metrics, port: config.metrics.port, host: config.metrics.host, token: config.metrics.token }) : undefined
// Entries past AUTERITY_AUDIT_RETENTION_DAYS (or a workspace's shorter setting) are deleted hourly.
const auditPrune = startAuditPrune(prisma, config.audit.retentionDays)
// Finished runs past their workspace's retention (docs/retention.md), in short batches, one worker at a time.
const executionPrune = new ExecutionPruner(
  { prisma, databaseUrl: requireDatabaseUrl(), removeFiles: (tenantId, ids) => files.remove(tenantId, ids) },
  config.executionRetention,
)
executionPrune.start()
const probe = createRedis(requireRedisUrl())
for (const line of await redisDurabilityWarnings(probe)) logger.warn(line)
probe.disconnect()
if (metricsServer) logger.info({ host: config.metrics.host, port: metricsServer.port }, 'metrics served at /metrics')
logger.info({ concurrency: config.worker.concurrency }, 'worker ready')
// After start-up and after each burst of runs, the heap goes back to what the process holds (lib/infra/idle-gc.ts).
startIdleGc({ onCollect: (c) => logger.debug({ heapMb: Math.round(c.afterMb), freedMb: Math.round(c.beforeMb - c.afterMb), ms: Math.round(c.ms) }, 'idle: heap collected') })

let stopping = false
async function shutdown(reason: string) {
  if (stopping) return
  stopping = true
  logger.info({ reason }, 'worker draining running jobs')
  let code = 0
  try {
    let timer: NodeJS.Timeout | undefined
    const drained = await Promise.race([
      worker.close().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
    ])
    clearTimeout(timer)
    if (!drained) logger.error({ drainMs }, 'jobs still running after the drain time: they are redelivered to another worker')
    await metricsServer?.close()
    await auditPrune.stop()
    await executionPrune.stop()
    await aiServices.ai.ledger.flush()
    await aiFetch.close()
    await files.close()
    await prisma.$disconnect()
    // The last spans (the drained runs') are exported before the process ends.
    await tracing.stop()
  } catch (err) {
    logger.error({ err }, 'worker shutdown failed')
    code = 1
  }
  // process.exit waits for a stuck isolate thread during teardown, forever: end such a process outright.
  if (worker.sandboxHealth().catastrophicErrors > 0) process.kill(process.pid, 'SIGKILL')
  process.exit(code)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
