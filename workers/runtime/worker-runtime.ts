// Everything a worker process holds: queue consumer, Redis connections, one shared sandbox and HTTP client.
// workers/worker.ts, integration tests and benches start the same thing.
import { messagingHostFromEnv } from '../../lib/messaging/host'
import { createBrowserHost, type BrowserHostOptions, type BrowserHostWithPool } from '../../lib/browser/host'
import { createVectorHost, type VectorHostOptions, type VectorHostWithClose } from '../../lib/vector/host'
import { env } from '../../lib/env'
import type { CredentialData, NodeDefinition, NodeRegistry, RunLimits } from '../../lib/engine/types'
import type { HostServices } from '../../lib/nodes/host-services'
import type { PrismaClient } from '../../lib/db/generated/client'
import { createRedis, redisConnection } from '../../lib/redis'
import { createExecutionQueue, createExecutionWorker, type WorkerConfig } from '../../lib/queue'
import { batchedPublisher, createRealtimeEmitter } from '../../lib/realtime/emitter'
import { WatchTracker, type WatchTrackerOptions } from '../../lib/realtime/watch'
import { createSafeHttpClient, createTcpGuard, type SafeHttpClientOptions } from '../../lib/net/ssrf'
import { createHostSandbox, type HostSandbox, type HostSandboxOptions } from '../../lib/sandbox/host'
import { cancellableSleep } from '../../lib/services/cancellable-sleep'
import { CancelListener } from '../../lib/services/signals'
import { createSubWorkflowRunner } from './sub-workflow'
import { createExecuteWorkflow } from './execute-workflow'
import { errorWorkflowStarter } from './error-workflows'
import { failExecution, processExecution, warmGraphs, type ExecutionRuntime } from './run-execution'
import type { ExecutionDeps } from '../../lib/services/executions'
import { LeaseKeeper } from './lease'
import { Reconciler, type ReconcilerConfig } from './reconciler'
import { ConcurrencyGate } from './concurrency'
import { EventBus, type EventBusConfig } from './event-deliveries'
import { startScheduleRunner, type ScheduleRunnerConfig } from './schedules'
import { BrokerConsumers, type BrokerConsumersConfig } from './broker-consumers'
import { startTemplateTests, type TemplateTestsConfig } from './template-tests'
import { startCampaigns, type CampaignsConfig, type CampaignsHandle } from './campaigns'
import { startPageMonitors, type PageMonitors, type PageMonitorsConfig } from './page-monitors'
import type { Metrics } from '../../lib/metrics/metrics'
import { watchDatabasePools } from '../../lib/metrics/database'
import { createQueueDepthReader } from '../../lib/queue/depth'

export interface WorkerRuntimeOptions {
  prisma: PrismaClient
  redisUrl: string
  queuePrefix?: string
  worker?: Omit<WorkerConfig, 'connection' | 'prefix'>
  http?: SafeHttpClientOptions
  registry: NodeRegistry<HostServices>
  getCredential(tenantId: string, id: string): Promise<CredentialData>
  deferStepInsertMs?: number
  /** A run's lease (lib/env `worker.leaseMs`, default 30 s); renewed every third of it. */
  leaseMs?: number
  /** Look for lost and stuck runs on this schedule (lib/env `reconciler`); unset: this process does not. */
  reconciler?: ReconcilerConfig
  /** Run with each reconciler pass that holds its lock: the file store's sweep of files no run holds. */
  sweepFiles?(): Promise<number>
  /** Realtime events only for tenants with a browser connected (see lib/realtime/watch.ts); tests tune it. */
  watch?: WatchTrackerOptions
  /**
   * The host services node types declare (lib/nodes/host-services.ts), but sub-workflows (the runtime runs those)
   * the TCP guard (built from the `http` outbound policy, like the HTTP client) and the event bus (./event-deliveries);
   * messaging defaults to the Message table, Redis and lib/env's public URL (lib/messaging/host.ts); browser to a pool
   * of this process (lib/browser/host.ts).
   */
  services: Omit<HostServices, 'runWorkflow' | 'executeWorkflow' | 'network' | 'events' | 'messaging' | 'browser' | 'vectors'> & { messaging?: HostServices['messaging']; browser?: HostServices['browser']; vectors?: HostServices['vectors'] }
  /** The browser pool (lib/browser) when `services.browser` is not given: page cap, executables, timeouts (lib/env
   * `browser`); pages are held to the `http` outbound policy. Launched on the first browser step. */
  browser?: Partial<Omit<BrowserHostOptions, 'guard'>>
  /** Retrieval (lib/vector) when `services.vectors` is not given: storage URI, index threshold, limits (lib/env `vectors`). */
  vectors?: Partial<Omit<VectorHostOptions, 'prisma' | 'ai'>>
  /** Sharing between workspaces (lib/env `fairness`): the fair queue's burst for runs started here, and the
   * per-workspace concurrency limit (workflows' own limits are their settings.maxConcurrency). */
  fairness?: { burst: number; workspaceConcurrency: number }
  /** Per-run caps (lib/env `limits`); the engine's defaults when missing. */
  limits?: Partial<Omit<RunLimits, 'startedAt'>>
  sandbox?: Omit<HostSandboxOptions, 'concurrency'>
  /** Called once, after the job during which an in-process isolate was lost for good (it leaks a stuck thread
   * and its heap): the host should drain and restart. */
  onSandboxDamaged?(): void
  /** Sub-workflows and error workflows: the nesting cap (lib/env `subWorkflows.maxDepth`, default 10) and the studio's
   * URL that error workflows link failed runs under (lib/env `publicUrl`). */
  subWorkflows?: { maxDepth?: number; studioUrl?: string }
  /** Event deliveries: consumer concurrency and the recovery pass (./event-deliveries.ts). */
  events?: EventBusConfig
  /** Schedule triggers (workers/runtime/schedules.ts); defaults from lib/env. */
  schedules?: Partial<ScheduleRunnerConfig>
  /** Broker trigger consumers (RabbitMQ, NATS, MQTT): lease and backoff timings, or false for none in this process. */
  brokers?: BrokerConsumersConfig | false
  /** Template test runs (./template-tests.ts): concurrency and the per-case time limit. */
  templateTests?: TemplateTestsConfig
  /** Scheduled messaging campaigns (./campaigns.ts): concurrency and the lost-job recovery interval. */
  campaigns?: CampaignsConfig
  /** Page Changed triggers (./page-monitors.ts): poll period (lib/env `browser.monitorPollMs`; 0: only on `pass()`), checks at once, or false for none in this process. */
  pageMonitors?: Partial<PageMonitorsConfig> | false
  /** This process's metrics (lib/metrics): runs, steps and retries are counted into it, and its scrapes read the
   * queues' depths and the database pools. The AI services count into it if they were made with it (`usage`). */
  metrics?: Metrics
}

export interface RunningWorker {
  /** Present when the options asked for one (tests run a pass with `runOnce`). */
  reconciler?: Reconciler
  /** The event bus: delivery consumer, settle listener, recovery pass. */
  events: EventBus
  brokers?: BrokerConsumers
  /** Scheduled messaging campaigns: `recover()` runs a lost-job pass now. */
  campaigns?: CampaignsHandle
  /** Drains: running jobs finish, no new ones are taken. */
  close(): Promise<void>
  sandboxHealth(): ReturnType<HostSandbox['health']>
  /** This process's browser pool (unless the options brought their own browser service): stats for tests and benches. */
  browserPool?: BrowserHostWithPool['pool']
  /** Page Changed triggers' checks on this worker (`checkNow(registrationId)` for tests). */
  pageMonitors?: PageMonitors
}

/**
 * The same registry with each node type's `load()` memoized: a dynamic import per step costs a module-resolution
 * round trip (through the loader hooks thread under tsx) on the hot path.
 */
export function withCachedLoads<S extends object>(registry: NodeRegistry<S>): NodeRegistry<S> {
  const out = new Map<string, NodeDefinition<any, S>>()
  for (const [type, def] of registry) {
    let loaded: ReturnType<typeof def.load> | undefined
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

export async function startWorkerRuntime(opts: WorkerRuntimeOptions): Promise<RunningWorker> {
  const redis = createRedis(opts.redisUrl)
  const publisher = batchedPublisher(redis)
  const cancels = await CancelListener.start(createRedis(opts.redisUrl))
  const watch = new WatchTracker(createRedis(opts.redisUrl), opts.watch, redis)
  await watch.subscribe()
  const http = createSafeHttpClient(opts.http)
  const sandbox = createHostSandbox({ ...opts.sandbox, concurrency: opts.worker?.concurrency ?? 20 })
  let damaged = false
  const events = new EventBus({ prisma: opts.prisma, connection: redisConnection(opts.redisUrl), prefix: opts.queuePrefix, sandbox: () => sandbox, ...opts.events })
  // Sub-workflows run here too, with the same services: Agent tools that are saved workflows, and Execute Workflow
  // (wait mode inline; fire and forget through `starts`, read when a step runs, after it is built below).
  const subWorkflowDeps = { prisma: opts.prisma, registry: opts.registry, services: () => rt.services, getCredential: opts.getCredential, limits: opts.limits, cancels, emitter: () => rt.emitter }
  const maxSubWorkflowDepth = opts.subWorkflows?.maxDepth ?? 10
  const subWorkflows = createSubWorkflowRunner({ ...subWorkflowDeps, maxDepth: maxSubWorkflowDepth })
  const executeWorkflow = createExecuteWorkflow({ ...subWorkflowDeps, maxDepth: maxSubWorkflowDepth, starts: () => starts })
  const ownBrowser: BrowserHostWithPool | undefined = opts.services.browser
    ? undefined
    : createBrowserHost({ ...env().browser, defaultTimeoutMs: env().browser.stepTimeoutMs, ...opts.browser, guard: createTcpGuard(opts.http) })
  const ownVectors: VectorHostWithClose | undefined = opts.services.vectors ? undefined : createVectorHost({ ...env().vectors, ...opts.vectors, prisma: opts.prisma, ai: opts.services.ai })
  const rt: ExecutionRuntime = {
    prisma: opts.prisma,
    emitter: createRealtimeEmitter(redis, (tenantId) => watch.isWatched(tenantId), publisher),
    publisher,
    cancels,
    registry: withCachedLoads(opts.registry),
    services: { ...opts.services, http, network: createTcpGuard(opts.http), sandbox, sleep: cancellableSleep, runWorkflow: subWorkflows, executeWorkflow, events: events.host,
      messaging: opts.services.messaging ?? messagingHostFromEnv(opts.prisma, redis, { keyPrefix: opts.queuePrefix }),
      browser: opts.services.browser ?? ownBrowser!,
      vectors: opts.services.vectors ?? ownVectors! },
    getCredential: opts.getCredential,
    leases: new LeaseKeeper(opts.prisma, opts.leaseMs ?? 30_000),
    gate: new ConcurrencyGate({ redis, prisma: opts.prisma, prefix: opts.queuePrefix, workspaceLimit: opts.fairness?.workspaceConcurrency ?? 0 }),
    deferStepInsertMs: opts.deferStepInsertMs,
    limits: opts.limits,
    metrics: opts.metrics,
  }
  const depths = opts.metrics ? createQueueDepthReader({ connection: redisConnection(opts.redisUrl), prefix: opts.queuePrefix }) : undefined
  if (opts.metrics && depths) {
    opts.metrics.watchQueues(() => depths.read())
    watchDatabasePools(opts.metrics, () => opts.prisma)
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
    {
      // A delivery that lost its lease leaves the run to the one that holds it (or, if none does, to the reconciler).
      onFailed: (executionId, err, final) => (final && err.name !== 'LeaseLostError' ? failExecution(rt, executionId, err).catch(() => undefined) : undefined),
      onLockLost: (executionIds) => executionIds.forEach((id) => rt.leases.lockLost(id)),
    },
  )
  await worker.waitUntilReady()
  // The producer side, for what starts runs from inside the worker (schedules, events, brokers, sub-workflows,
  // error workflows) and for the reconciler's re-enqueues.
  const queue = createExecutionQueue({ connection: redisConnection(opts.redisUrl), prefix: opts.queuePrefix, fairBurst: opts.fairness?.burst }, opts.worker?.attempts)
  const starts: ExecutionDeps = { prisma: opts.prisma, queue, emitter: rt.emitter, redis }
  ;(rt.onFinished ??= []).push(errorWorkflowStarter({ prisma: opts.prisma, starts: () => starts, studioUrl: opts.subWorkflows?.studioUrl ?? 'http://localhost:3000', maxDepth: maxSubWorkflowDepth }))
  await events.start(starts)
  ;(rt.onFinished ??= []).push(events.onFinished)
  const schedules = await startScheduleRunner({ prisma: opts.prisma, starts, redisUrl: opts.redisUrl, queuePrefix: opts.queuePrefix }, { warm: (ids) => warmGraphs(opts.prisma, ids), ...opts.schedules })
  const reconciler =
    opts.reconciler ? new Reconciler({ prisma: opts.prisma, queue, fail: (id, err) => failExecution(rt, id, err), sweepFiles: opts.sweepFiles }, opts.reconciler) : undefined
  reconciler?.start()
  const brokers = opts.brokers === false ? undefined : new BrokerConsumers({ prisma: opts.prisma, starts, redis, subscriber: createRedis(opts.redisUrl), network: createTcpGuard(opts.http), getCredential: opts.getCredential, keyPrefix: opts.queuePrefix ?? 'auterity' }, opts.brokers)
  await brokers?.start()
  const templateTests = await startTemplateTests(
    { connection: redisConnection(opts.redisUrl), prefix: opts.queuePrefix },
    { prisma: opts.prisma, registry: rt.registry, services: rt.services, limits: opts.limits },
    opts.templateTests,
  )
  const campaigns = await startCampaigns(
    { connection: redisConnection(opts.redisUrl), prefix: opts.queuePrefix },
    { prisma: opts.prisma, messaging: rt.services.messaging, network: rt.services.network, getCredential: opts.getCredential },
    opts.campaigns,
  )
  const pageMonitors = opts.pageMonitors === false ? undefined : await startPageMonitors(
    { prisma: opts.prisma, starts, browser: rt.services.browser, files: rt.services.files, redisUrl: opts.redisUrl, keyPrefix: opts.queuePrefix ?? 'auterity' },
    { pollMs: env().browser.monitorPollMs, ...opts.pageMonitors },
  )
  return {
    pageMonitors,
    reconciler,
    campaigns,
    events,
    brokers,
    async close() {
      await pageMonitors?.close()
      await brokers?.close()
      await templateTests.close()
      await campaigns.close()
      await events.close()
      await reconciler?.stop()
      await schedules.close()
      await queue.close()
      await worker.close()
      rt.leases.close()
      rt.gate?.close()
      await cancels.close()
      await watch.close()
      await sandbox.dispose()
      await ownBrowser?.close()
      await ownVectors?.close()
      await depths?.close()
      await http.close()
      await redis.quit().catch(() => undefined)
    },
    sandboxHealth: () => sandbox.health(),
    browserPool: ownBrowser?.pool,
  }
}
