// Fairness: workspace A queues 10,000 runs at once; meanwhile workspace B's webhook ("when finished") is called a few
// times a second (from when the worker is warm: A's first 200 runs done). B's latency is measured with the fair queue (the `npm start` default, AUTERITY_FAIR_BURST=50) and
// without it (plain FIFO, AUTERITY_FAIR_BURST=0): the same processes as production (server.ts --webhooks-only and
// workers/worker.ts with the default concurrency), over 127.0.0.1.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { benchStack, processEnv } from './queue'
import { freePort, startProcess, stopProcess, WORKER_READY, WEB_READY } from './processes'
import type { BenchRow } from './types'
import { pct } from './stats'
import { createExecutionQueue } from '../lib/queue'
import { createRedis, redisConnection } from '../lib/redis'
import { startExecution } from '../lib/services/executions'
import { createTenantWithOwner } from '../lib/db/bootstrap'
import { noopEmitter } from '../lib/realtime/emitter'

const BACKLOG = Number(process.env.FAIRNESS_BENCH_BACKLOG ?? 10_000)
const PROBE_SECONDS = Number(process.env.FAIRNESS_BENCH_SECONDS ?? 15)
const PROBE_PER_SECOND = 5


async function phase(burst: number, label: string): Promise<BenchRow[]> {
  const stack = await benchStack(`fair${burst}`)
  const port = await freePort()
  const env = processEnv(stack, { AUTERITY_FAIR_BURST: String(burst), PORT: String(port), HOST: '127.0.0.1' })
  delete (env as Record<string, unknown>).AUTERITY_WORKER_CONCURRENCY // the default, as `npm start` runs it
  const redis = createRedis(stack.redisUrl)
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix, fairBurst: burst })
  let web: ChildProcess | undefined
  let worker: ChildProcess | undefined
  try {
    // A: the bench tenant, one light workflow. B: another tenant, a webhook answering when finished.
    const light = { nodes: [{ id: 't', type: 'manual-trigger', name: 'Manual', params: {} }, { id: 's', type: 'set', name: 'Set', params: { fields: [{ name: 'done', value: true, type: 'auto' }], keepOtherFields: true } }], edges: [{ source: 't', target: 's' }], notes: [] }
    const wfA = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Backlog' } })
    const vA = await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wfA.id, number: 1, graph: light as object } })
    const b = await createTenantWithOwner(stack.prisma, { tenantName: 'Other', email: `other-${randomBytes(3).toString('hex')}@example.test`, password: 'bench-password-1', apiKey: `ak_b${randomBytes(12).toString('hex')}` })
    const hookGraph = {
      nodes: [
        { id: 'hook', type: 'webhook-trigger', name: 'Webhook', params: { path: 'fair/b', method: 'POST', responseMode: 'lastNode', timeoutMs: 120_000 } },
        { id: 's', type: 'set', name: 'Set', params: { fields: [{ name: 'ok', value: true, type: 'auto' }], keepOtherFields: true } },
      ],
      edges: [{ source: 'hook', target: 's' }],
      notes: [],
    }
    const wfB = await stack.prisma.workflow.create({ data: { tenantId: b.tenantId, name: 'Webhook', active: true, publishedVersion: 1 } })
    await stack.prisma.workflowVersion.create({ data: { tenantId: b.tenantId, workflowId: wfB.id, number: 1, graph: hookGraph as object } })
    await stack.prisma.webhookTrigger.create({ data: { tenantId: b.tenantId, workflowId: wfB.id, nodeId: 'hook', path: 'fair/b', method: 'POST', responseMode: 'lastNode', timeoutMs: 120_000 } })

    web = await startProcess(['server.ts', '--webhooks-only'], env, WEB_READY)
    const url = `http://127.0.0.1:${port}/api/webhooks/fair/b`
    const call = async () => {
      const t = performance.now()
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      await res.text()
      return { ms: performance.now() - t, ok: res.status === 200 }
    }

    // A's backlog is queued before any worker runs.
    const deps = { prisma: stack.prisma, queue, emitter: noopEmitter, redis }
    const t0 = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < BACKLOG) {
          next++
          await startExecution(deps, { tenantId: stack.tenantId, workflowId: wfA.id, versionId: vA.id, versionNumber: 1, input: [{}], mode: 'api' })
        }
      }),
    )
    const enqueueS = (performance.now() - t0) / 1000

    worker = await startProcess(['workers/worker.ts'], env, WORKER_READY)
    const started = performance.now()
    // Probes start once the worker is warm (its first 200 runs done): a cold start is not what is measured here.
    for (let i = 0; i < 600 && (await stack.prisma.execution.count({ where: { tenantId: stack.tenantId, status: 'succeeded' } })) < 200; i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    const latencies: number[] = []
    let failed = 0
    const probes: Promise<void>[] = []
    for (let i = 0; i < PROBE_SECONDS * PROBE_PER_SECOND; i++) {
      probes.push(
        call().then(
          (r) => (r.ok ? void latencies.push(r.ms) : void failed++),
          () => void failed++,
        ),
      )
      await new Promise((r) => setTimeout(r, 1000 / PROBE_PER_SECOND))
    }
    await Promise.all(probes)
    // How long A's backlog took to drain (for context).
    for (let i = 0; i < 1200 && (await stack.prisma.execution.count({ where: { tenantId: stack.tenantId, status: { in: ['queued', 'running'] } } })) > 0; i++) {
      await new Promise((r) => setTimeout(r, 250))
    }
    const drainS = (performance.now() - started) / 1000
    latencies.sort((x, y) => x - y)
    return [
      { name: `${label}: B's webhook p50 while A's ${BACKLOG.toLocaleString('en-US')} runs drain`, value: pct(latencies, 50), unit: 'ms' },
      { name: `${label}: B's webhook p99`, value: pct(latencies, 99), unit: 'ms', notes: `${latencies.length} answered, ${failed} failed; ${PROBE_PER_SECOND}/s for ${PROBE_SECONDS} s, from A's 200th finished run on` },
      { name: `${label}: B's webhook max`, value: latencies.at(-1) ?? NaN, unit: 'ms' },
      { name: `${label}: A's backlog queued in`, value: enqueueS, unit: 's' },
      { name: `${label}: A's backlog drained in (worker start → last run)`, value: drainS, unit: 's' },
    ]
  } finally {
    if (worker) await stopProcess(worker)
    if (web) await stopProcess(web)
    await queue.close()
    redis.disconnect()
    await stack.drop()
  }
}

export default async function bench(): Promise<BenchRow[]> {
  return [...(await phase(50, 'fair queue (default)')), ...(await phase(0, 'plain FIFO'))]
}
