// Everything a worker process holds: queue consumer, Redis connections, one shared sandbox and HTTP client.
// workers/worker.ts, integration tests and benches start the same thing.
import type { CredentialData, NodeDefinition, NodeRegistry } from '../engine/types'
import type { PrismaClient } from '../db/generated/client'
import { createRedis, redisConnection } from '../redis'
import { createExecutionWorker, type WorkerConfig } from '../queue'
import { batchedPublisher, createRealtimeEmitter } from '../realtime/emitter'
import { WatchTracker, type WatchTrackerOptions } from '../realtime/watch'
import { createSafeHttpClient, type SafeHttpClientOptions } from '../net/ssrf'
import { createHostSandbox, type HostSandbox, type HostSandboxOptions } from '../sandbox/host'
import { CancelListener } from './signals'
import { createSubWorkflowRunner } from './sub-workflow'
import { failExecution, processExecution, type ExecutionRuntime } from './run-execution'

export interface WorkerRuntimeOptions {
  prisma: PrismaClient
  redisUrl: string
  queuePrefix?: string
  worker?: Omit<WorkerConfig, 'connection' | 'prefix'>
  http?: SafeHttpClientOptions
  registry: NodeRegistry
  getCredential(tenantId: string, id: string): Promise<CredentialData>
  deferStepInsertMs?: number
  /** Realtime events only for tenants with a browser connected (see lib/realtime/watch.ts); tests tune it. */
  watch?: WatchTrackerOptions
  /** Host services for node types that need more than HTTP and the sandbox (the AI router, memory…). */
  extra?: Record<string, unknown>
  sandbox?: Omit<HostSandboxOptions, 'concurrency'>
  /** Called once, after the job during which an in-process isolate was lost for good (it leaks a stuck thread
   * and its heap): the host should drain and restart. */
  onSandboxDamaged?(): void
}

export interface RunningWorker {
  /** Drains: running jobs finish, no new ones are taken. */
  close(): Promise<void>
  sandboxHealth(): ReturnType<HostSandbox['health']>
}

/**
 * The same registry with each node type's `load()` memoized: a dynamic import per step costs a module-resolution
 * round trip (through the loader hooks thread under tsx) on the hot path.
 */
export function withCachedLoads(registry: NodeRegistry): NodeRegistry {
  const out = new Map<string, NodeDefinition>()
  for (const [type, def] of registry) {
    let loaded: ReturnType<NodeDefinition['load']> | undefined
    out.set(type, {
      ...def,
      load: () => {
        loaded ??= def.load().catch((err) => {
          loaded = undefined
          throw err
        })
        return loaded
      },
    })
  }
  return out
}

export function cancellableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error('Aborted'))
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason ?? new Error('Aborted'))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

export async function startWorkerRuntime(opts: WorkerRuntimeOptions): Promise<RunningWorker> {
  const redis = createRedis(opts.redisUrl)
  const publisher = batchedPublisher(redis)
  const cancels = await CancelListener.start(createRedis(opts.redisUrl))
  const watch = new WatchTracker(createRedis(opts.redisUrl), opts.watch, redis)
  await watch.subscribe()
  const http = createSafeHttpClient(opts.http)
  const sandbox = createHostSandbox({ ...opts.sandbox, concurrency: opts.worker?.concurrency ?? 20 })
  let damaged = false
  // Agent tools that are saved workflows run here too, with the same services.
  const subWorkflows = createSubWorkflowRunner({
    prisma: opts.prisma,
    registry: opts.registry,
    services: () => rt.services,
    getCredential: opts.getCredential,
  })
  const rt: ExecutionRuntime = {
    prisma: opts.prisma,
    emitter: createRealtimeEmitter(redis, (tenantId) => watch.isWatched(tenantId), publisher),
    publisher,
    cancels,
    registry: withCachedLoads(opts.registry),
    services: { http, sandbox, sleep: cancellableSleep, extra: { ...opts.extra, runWorkflow: subWorkflows } },
    getCredential: opts.getCredential,
    deferStepInsertMs: opts.deferStepInsertMs,
  }
  const worker = createExecutionWorker(
    { ...opts.worker, connection: redisConnection(opts.redisUrl), prefix: opts.queuePrefix },
    async (job) => {
      try {
        return await processExecution(rt, job)
      } finally {
        if (!damaged && sandbox.health().catastrophicErrors > 0) {
          damaged = true
          opts.onSandboxDamaged?.()
        }
      }
    },
    { onFailed: (executionId, err, final) => (final ? failExecution(rt, executionId, err).catch(() => undefined) : undefined) },
  )
  await worker.waitUntilReady()
  return {
    async close() {
      await worker.close()
      await cancels.close()
      await watch.close()
      sandbox.dispose()
      await http.close()
      await redis.quit().catch(() => undefined)
    },
    sandboxHealth: () => sandbox.health(),
  }
}
