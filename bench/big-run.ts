// Peak memory of a real worker process (`workers/worker.ts`) running 1,000,000 small items through 3 steps, with
// every page of every step's output stored in PostgreSQL: bench/engine.ts measures the engine alone (in-memory store),
// this measures the worker as deployed. The run is a resumed one: its trigger's 1,000,000 items are already stored
// (1,000 pages, written by SQL), as after a worker died with the trigger settled, so the input never has to travel
// through a request body or the job. The worker claims the run, reads the trigger's pages one by one, runs
// Set → Set → Set over them page by page, and writes 3,000 output pages and the step rows.
import { randomUUID } from 'node:crypto'
import { createExecutionQueue } from '../lib/queue'
import { redisConnection } from '../lib/redis'
import { DEFAULT_PAGE_SIZE as PAGE } from '../lib/services/pg-item-store'
import { benchStack, processEnv } from './queue'
import { memoryOf, startProcess, stopProcess, WORKER_READY } from './processes'
import type { BenchRow } from './types'

const ITEMS = Number(process.env.BIG_RUN_ITEMS ?? 1_000_000)

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('bigrun')
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const env = processEnv(stack)
  try {
    const set = (id: string, field: string, value: string) => ({ id, type: 'set', name: id, params: { fields: [{ name: field, value, type: 'auto' }], keepOtherFields: true } })
    const nodes = [{ id: 'trigger', type: 'manual-trigger', name: 'Trigger', params: {} }, set('a', 'copy', '{{ $json.n }}'), set('b', 'tag', 'big'), set('c', 'label', '{{ $json.name }}')]
    const graph = { nodes, edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })), notes: [] }
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Big run' } })
    const version = await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph } })
    // A delivered run whose trigger settled: the next delivery resumes from its stored output.
    const seed = async (items: number) => {
      const execution = await stack.prisma.execution.create({
        data: { tenantId: stack.tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, mode: 'manual', input: [], status: 'queued', deliveries: 1 },
      })
      await stack.prisma.$executeRaw`
        INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items")
        SELECT ${execution.id}, 'trigger', 'main', p, LEAST(${PAGE}::int, ${items}::int - p * ${PAGE}::int),
          (SELECT jsonb_agg(jsonb_build_object('n', p * ${PAGE}::int + i, 'name', 'item ' || (p * ${PAGE}::int + i)) ORDER BY i)
           FROM generate_series(0, LEAST(${PAGE}::int, ${items}::int - p * ${PAGE}::int) - 1) i)
        FROM generate_series(0, ${Math.ceil(items / PAGE)}::int - 1) p`
      await stack.prisma.stepRun.create({
        data: {
          id: randomUUID(), tenantId: stack.tenantId, executionId: execution.id, nodeId: 'trigger', nodeName: 'Trigger', nodeType: 'manual-trigger',
          attempt: 1, status: 'succeeded', inputCount: 0, output: { main: [{ n: 0, name: 'item 0' }] }, outputCounts: { main: items },
          startedAt: new Date(), finishedAt: new Date(), durationMs: 0,
        },
      })
      return execution.id
    }
    /** A worker process with these node flags: a warm-up run, then the big run. */
    const measure = async (flags: string[]): Promise<BenchRow[]> => {
      const worker = await startProcess(['workers/worker.ts'], env, WORKER_READY, flags)
      try {
        /** Runs a seeded execution to its end, sampling the worker's RSS every 100 ms; returns the highest sample. */
        const run = async (executionId: string) => {
          await queue.enqueue(executionId)
          let peak = 0
          for (;;) {
            peak = Math.max(peak, memoryOf(worker.pid!).rssMiB)
            const { status } = await stack.prisma.execution.findUniqueOrThrow({ where: { id: executionId }, select: { status: true } })
            if (status !== 'queued' && status !== 'running') {
              if (status !== 'succeeded') throw new Error(`the big run ended ${status}`)
              return peak
            }
            await new Promise((r) => setTimeout(r, 100))
          }
        }

        // Warm-up: node types, isolates, pools and JIT, so the big run's figures are about the run.
        await run(await seed(5 * PAGE))
        const executionId = await seed(ITEMS)
        const pages = Math.ceil(ITEMS / PAGE)
        const before = memoryOf(worker.pid!)
        const t0 = performance.now()
        const sampledPeak = await run(executionId)
        const seconds = (performance.now() - t0) / 1000
        const after = memoryOf(worker.pid!)
        const last = await stack.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 'c', status: 'succeeded' } })
        const stored = await stack.prisma.stepOutputPage.aggregate({ where: { executionId, nodeId: 'c' }, _sum: { count: true } })
        if ((last.outputCounts as { main: number }).main !== ITEMS || stored._sum.count !== ITEMS) throw new Error('the big run did not store every item')
        const label = `worker process${flags.length ? ` (${flags.join(' ')})` : ''}, ${ITEMS.toLocaleString('en-US')} items through 3 steps`
        const note = `${pages.toLocaleString('en-US')} pages read from PostgreSQL, Set → Set → Set, every output page written back`
        return [
          { name: `${label}: RSS before the run (after a warm-up run)`, value: before.rssMiB, unit: 'MiB' },
          { name: `${label}: peak RSS during the run (sampled every 100 ms)`, value: sampledPeak, unit: 'MiB', notes: note },
          { name: `${label}: peak RSS of the process's life (VmHWM)`, value: after.peakMiB, unit: 'MiB', notes: 'start-up and warm-up included' },
          { name: `${label}: wall time`, value: seconds, unit: 's' },
          { name: `${label}: throughput`, value: (3 * ITEMS) / seconds, unit: 'item-steps/s', notes: 'including reading and writing every page' },
        ]
      } finally {
        await stopProcess(worker)
      }
    }
    // As started by `npm start`; then with V8's old generation capped at 128 MB: the run finishing within the cap
    // (at the same speed per item for 200,000 or 1,000,000 items) shows that nothing grows with the run's size, and
    // that the higher peak without the cap is V8 letting its heap grow, not the run keeping items.
    return [...(await measure([])), ...(await measure(['--max-old-space-size=128']))]
  } finally {
    await queue.close()
    await stack.drop()
  }
}
