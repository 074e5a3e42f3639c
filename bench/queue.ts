// Executions per second through the whole backbone: Execution row + BullMQ job, an in-process worker running
// a 3-step workflow (manual → Set → Code) with every step recorded in PostgreSQL. Uses its own database
// (DATABASE_URL's server, else 127.0.0.1:5432) and its own queue prefix on REDIS_URL (else 127.0.0.1:6379).
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { createPrisma, type PrismaClient } from '../lib/db/client'
import { migrate } from '../lib/db/migrate'
import { createTenantWithOwner } from '../lib/db/bootstrap'
import { dropDatabase, ensureDatabase, withDatabase } from '../lib/infra/postgres'
import { createRedis, redisConnection } from '../lib/redis'
import { createExecutionQueue } from '../lib/queue'
import { noopEmitter } from '../lib/realtime/emitter'
import { startExecution } from '../lib/services/executions'
import { startWorkerRuntime } from '../workers/runtime/worker-runtime'
import { nodeRegistry } from '../lib/nodes/registry'
import { createAiServices } from '../lib/ai'
import { prismaDedupeHistory } from '../lib/services/dedupe-history'
import { createFileService } from '../lib/files'
import type { BenchRow } from './types'

const N = Number(process.env.QUEUE_BENCH_RUNS ?? 1000)

export interface BenchStack {
  url: string
  redisUrl: string
  prefix: string
  prisma: PrismaClient
  tenantId: string
  apiKey: string
  drop(): Promise<void>
}

/** A fresh migrated database, a tenant with an API key, a private queue prefix. */
export async function benchStack(label: string): Promise<BenchStack> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const name = `bench_${label}_${randomBytes(3).toString('hex')}`
  await ensureDatabase(adminUrl, name)
  const url = withDatabase(adminUrl, name)
  await migrate(url)
  const prisma = createPrisma(url, { max: 20 })
  const apiKey = `ak_bench${randomBytes(12).toString('hex')}`
  const { tenantId } = await createTenantWithOwner(prisma, { tenantName: 'Bench', email: `bench-${name}@example.test`, password: 'bench-password-1', apiKey })
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const prefix = `bench-${randomBytes(4).toString('hex')}`
  return {
    url, redisUrl, prefix, prisma, tenantId, apiKey,
    async drop() {
      await prisma.$disconnect()
      await dropDatabase(adminUrl, name)
      const redis = createRedis(redisUrl)
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length) await redis.del(...keys)
      redis.disconnect()
    },
  }
}

/** An in-process worker runtime on the bench stack: the real registry, no model calls, no credentials. */
/** The environment of a production process (web or worker) spawned on the stack, plus `extra`. */
export function processEnv(stack: BenchStack, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: stack.url, REDIS_URL: stack.redisUrl, AUTERITY_QUEUE_PREFIX: stack.prefix, ...extra, NODE_ENV: 'production' }
}

export function benchWorker(stack: BenchStack, concurrency: number) {
  return startWorkerRuntime({
    prisma: stack.prisma,
    redisUrl: stack.redisUrl,
    queuePrefix: stack.prefix,
    worker: { concurrency },
    registry: nodeRegistry,
    services: { ...createAiServices({ prisma: stack.prisma, fetch: () => Promise.reject(new Error('no model calls in this bench')) }), dedupeHistory: prismaDedupeHistory(stack.prisma), files: createFileService(stack.prisma, { dataDir: path.join(os.tmpdir(), `bench-files-${process.pid}`), maxFileBytes: 1024 ** 3 }) },
    getCredential: async () => {
      throw new Error('no credentials in this bench')
    },
  })
}

export const threeStepGraph = (trigger: Record<string, unknown>, last: Record<string, unknown>[] = []) => {
  const nodes = [
    trigger,
    { id: 'set', type: 'set', name: 'Set', params: { fields: [{ name: 'seen', value: '{{ $json.n }}', type: 'auto' }], keepOtherFields: true } },
    { id: 'code', type: 'code', name: 'Code', params: { source: 'return items.map(i => ({ ...i, ok: true }))', mode: 'runOnceForAllItems' } },
    ...last,
  ]
  return { nodes, edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id as string, target: n.id as string })), notes: [] }
}

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('queue')
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const redis = createRedis(stack.redisUrl)
  const worker = await benchWorker(stack, 50)
  try {
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Bench' } })
    const version = await stack.prisma.workflowVersion.create({
      data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph: threeStepGraph({ id: 'trigger', type: 'manual-trigger', name: 'Trigger', params: {} }) as object },
    })
    const deps = { prisma: stack.prisma, queue, emitter: noopEmitter, redis }
    const req = (n: number) => ({ tenantId: stack.tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, input: [{ n }], mode: 'api' })

    // Warm-up: isolates, connection pools, JIT.
    await Promise.all(Array.from({ length: 50 }, (_, i) => startExecution(deps, req(i))))
    await waitAllDone(stack.prisma, 50)

    const t0 = performance.now()
    for (let i = 0; i < N; i += 100) await Promise.all(Array.from({ length: Math.min(100, N - i) }, (_, k) => startExecution(deps, req(i + k))))
    const enqueuedMs = performance.now() - t0
    await waitAllDone(stack.prisma, N + 50)
    const totalS = (performance.now() - t0) / 1000
    const steps = await stack.prisma.stepRun.count()
    return [
      { name: `executions/s, 3-step workflow, ${N} runs, worker concurrency 50`, value: N / totalS, unit: 'exec/s', notes: `${steps} StepRun rows written; enqueue took ${Math.round(enqueuedMs)} ms` },
      { name: 'mean time per execution (wall / runs)', value: (totalS * 1000) / N, unit: 'ms' },
    ]
  } finally {
    await worker.close()
    await queue.close()
    redis.disconnect()
    await stack.drop()
  }
}

/** Resolves once `total` runs have ended; throws at the first failed one. */
export async function waitAllDone(prisma: PrismaClient, total: number) {
  for (;;) {
    const done = await prisma.execution.count({ where: { status: { in: ['succeeded', 'failed', 'canceled'] } } })
    if (done >= total) {
      const failed = await prisma.execution.findFirst({ where: { status: 'failed' } })
      if (failed) throw new Error(`an execution failed: ${JSON.stringify(failed.error)}`)
      return
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
