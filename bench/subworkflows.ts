// Sub-workflow calls through a real worker: what an Execute Workflow step costs per child run, waiting (the child
// runs inline, recorded as its own execution with its steps) and fire-and-forget (the child is queued as a run of
// its own). Parents: manual → Execute Workflow; child: Execute Workflow Trigger → Set. Own database and queue prefix.
import { createRedis, redisConnection } from '../lib/redis'
import { createExecutionQueue } from '../lib/queue'
import { noopEmitter } from '../lib/realtime/emitter'
import { startExecution } from '../lib/services/executions'
import { benchStack, benchWorker, waitAllDone } from './queue'
import type { Item } from '../lib/engine/types'
import type { BenchRow } from './types'

const N = Number(process.env.SUBWORKFLOW_BENCH_RUNS ?? 200)
const EACH = Number(process.env.SUBWORKFLOW_BENCH_ITEMS ?? 200)

const graph = (nodes: Record<string, unknown>[]) => ({
  nodes: nodes.map((n, i) => ({ position: { x: i * 200, y: 0 }, ...n })),
  edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id as string, target: n.id as string })),
  notes: [],
})
const manual = { id: 'm', type: 'manual-trigger', name: 'Manual', params: {} }
const set = { id: 'set', type: 'set', name: 'Set', params: { fields: [{ name: 'seen', value: '{{ $json.n }}', type: 'auto' }], keepOtherFields: true } }
const call = (workflowId: string, mode: string, runFor = 'allItems') => ({ id: 'call', type: 'execute-workflow', name: 'Call', params: { workflowId, version: 'current', mode, runFor } })

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('subwf')
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const redis = createRedis(stack.redisUrl)
  const worker = await benchWorker(stack, 20)
  const deps = { prisma: stack.prisma, queue, emitter: noopEmitter, redis }
  const save = async (name: string, nodes: Record<string, unknown>[]) => {
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name } })
    const version = await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph: graph(nodes) as object } })
    return { id: wf.id, versionId: version.id }
  }
  /** Starts `runs` parents (batches of 50) and waits until `expected` executions in all have ended; wall ms. */
  const measure = async (wf: { id: string; versionId: string }, runs: number, items: (i: number) => Item[], expected: number) => {
    const before = await stack.prisma.execution.count()
    const t0 = performance.now()
    for (let i = 0; i < runs; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, runs - i) }, (_, k) => startExecution(deps, { tenantId: stack.tenantId, workflowId: wf.id, versionId: wf.versionId, versionNumber: 1, input: items(i + k), mode: 'api' })))
    }
    await waitAllDone(stack.prisma, before + expected)
    return performance.now() - t0
  }
  try {
    const child = await save('Child', [{ id: 'in', type: 'execute-workflow-trigger', name: 'In', params: {} }, set])
    const plain = await save('Plain', [manual, set])
    const waits = await save('Waits', [manual, call(child.id, 'wait')])
    const fires = await save('Fires', [manual, call(child.id, 'fireAndForget')])
    const each = await save('Each', [manual, call(child.id, 'wait', 'eachItem')])

    await measure(waits, 20, (n) => [{ n }], 40) // warm-up: isolates, pools, JIT
    const plainMs = await measure(plain, N, (n) => [{ n }], N)
    const waitMs = await measure(waits, N, (n) => [{ n }], 2 * N)
    const fireMs = await measure(fires, N, (n) => [{ n }], 2 * N)
    const eachMs = await measure(each, 1, () => Array.from({ length: EACH }, (_, n) => ({ n })), 1 + EACH)
    return [
      { name: `parent runs without a sub-workflow (manual → Set), ${N} runs, concurrency 20`, value: plainMs / N, unit: 'ms/run', notes: `${Math.round(N / (plainMs / 1000))} runs/s` },
      { name: `wait mode: parent + inline child (recorded with its steps), ${N} parents`, value: waitMs / N, unit: 'ms/parent', notes: `${Math.round(N / (waitMs / 1000))} parents/s` },
      { name: `fire and forget: parent + queued child, ${N} parents, until every child ended`, value: fireMs / N, unit: 'ms/parent', notes: `${Math.round((2 * N) / (fireMs / 1000))} runs/s` },
      { name: `each item, wait mode: one parent step, ${EACH} child runs in order`, value: eachMs / EACH, unit: 'ms/child', notes: `${Math.round(eachMs)} ms for the step` },
    ]
  } finally {
    await worker.close()
    await queue.close()
    redis.disconnect()
    await stack.drop()
  }
}
