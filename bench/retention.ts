// Execution retention at scale: RETENTION_BENCH_RUNS (default 1,000,000) finished runs older than the workspace's
// 30 days, each with RETENTION_BENCH_STEPS step rows (default 3, with small input and output JSON like a real step's
// first page) and one output page per run, plus 10,000 young runs that stay; seeded with generate_series in SQL.
// Then the real pruner (workers/runtime/execution-prune.ts, 500 runs per transaction) deletes them while a writer
// inserts runs the way workers do (the run's row, then its steps one by one) at RETENTION_BENCH_RATE runs/s (default
// 100) from RETENTION_BENCH_WRITERS loops (default 4). Reported: the prune's total time, runs and rows deleted per
// second, and the writer's p50/p99 statement latency without pruning (RETENTION_BENCH_BASELINE_S seconds, default 15)
// and during it. The plans of the prune's statements (EXPLAIN) are printed, to show they use indexes.
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { ExecutionPruner } from '../workers/runtime/execution-prune'
import { benchStack } from './queue'
import { pct } from './stats'
import type { BenchRow } from './types'

const RUNS = Number(process.env.RETENTION_BENCH_RUNS ?? 1_000_000)
const STEPS = Number(process.env.RETENTION_BENCH_STEPS ?? 3)
const RATE = Number(process.env.RETENTION_BENCH_RATE ?? 100)
const WRITERS = Number(process.env.RETENTION_BENCH_WRITERS ?? 4)
const BASELINE_S = Number(process.env.RETENTION_BENCH_BASELINE_S ?? 15)
const BATCH = Number(process.env.RETENTION_BENCH_BATCH ?? 500)
const YOUNG = 10_000
const CHUNK = 100_000

type Stack = Awaited<ReturnType<typeof benchStack>>

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('retention')
  const { prisma, tenantId } = stack
  try {
    const workflows = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const wf = await prisma.workflow.create({ data: { tenantId, name: `wf ${i}` } })
        const v = await prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [], notes: [] } } })
        return { workflowId: wf.id, versionId: v.id }
      }),
    )
    await prisma.tenant.update({ where: { id: tenantId }, data: { settings: { executionRetentionDays: 30 } } })
    const seeded = performance.now()
    await seed(stack, workflows)
    const seedS = (performance.now() - seeded) / 1000
    console.log(`seeded ${RUNS.toLocaleString()} old runs × ${STEPS} steps (+ ${YOUNG.toLocaleString()} young) in ${seedS.toFixed(0)} s`)
    await printPlans(stack)

    const baseline = await writeFor(stack, workflows[0], () => sleep(BASELINE_S * 1000))
    const pruner = new ExecutionPruner({ prisma, databaseUrl: stack.url, removeFiles: async () => 0 }, { defaultDays: 0, batchSize: BATCH, intervalMs: 0 })
    let pruneMs = 0
    let report: Awaited<ReturnType<ExecutionPruner['runOnce']>> | undefined
    const during = await writeFor(stack, workflows[0], async () => {
      const t0 = performance.now()
      report = await pruner.runOnce()
      pruneMs = performance.now() - t0
    })
    const summary = report!.tenants[0]
    const rows = summary.executions + summary.steps + summary.outputPages
    const left = await prisma.execution.count({ where: { tenantId } })
    console.log(`pruned ${summary.executions.toLocaleString()} runs, ${summary.steps.toLocaleString()} steps, ${summary.outputPages.toLocaleString()} pages in ${(pruneMs / 1000).toFixed(1)} s; ${left.toLocaleString()} runs left`)
    const notes = `${RUNS} runs × ${STEPS} steps + 1 output page each, batches of ${BATCH}; writer ${RATE} runs/s (${STEPS + 1} inserts each) from ${WRITERS} loops`
    return [
      { name: 'runs pruned', value: summary.executions, unit: 'runs', notes },
      { name: 'prune total time', value: pruneMs / 1000, unit: 's' },
      { name: 'runs deleted per second', value: summary.executions / (pruneMs / 1000), unit: 'runs/s' },
      { name: 'rows deleted per second (runs + steps + pages)', value: rows / (pruneMs / 1000), unit: 'rows/s' },
      { name: 'young runs and writer runs kept', value: left, unit: 'runs' },
      { name: 'writer insert p50, no prune', value: pct(baseline.latencies, 50), unit: 'ms' },
      { name: 'writer insert p99, no prune', value: pct(baseline.latencies, 99), unit: 'ms' },
      { name: 'writer insert p50, during prune', value: pct(during.latencies, 50), unit: 'ms' },
      { name: 'writer insert p99, during prune', value: pct(during.latencies, 99), unit: 'ms' },
      { name: 'writer insert max, during prune', value: during.latencies.at(-1) ?? NaN, unit: 'ms' },
      { name: 'writer runs inserted during prune', value: during.runs, unit: 'runs' },
    ]
  } finally {
    await stack.drop()
  }
}

/** Old runs spread over 31–400 days back across the workflows, in chunks (one transaction each), then ANALYZE. */
async function seed(stack: Stack, workflows: { workflowId: string; versionId: string }[]) {
  const { prisma, tenantId } = stack
  const wfIds = workflows.map((w) => w.workflowId)
  const vIds = workflows.map((w) => w.versionId)
  for (let from = 1; from <= RUNS; from += CHUNK) {
    const to = Math.min(RUNS, from + CHUNK - 1)
    await prisma.$executeRaw`
      INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "status", "input", "createdAt", "startedAt", "finishedAt")
      SELECT 'old' || g, ${tenantId}, (${wfIds}::text[])[1 + g % 10], (${vIds}::text[])[1 + g % 10], 1, 'webhook',
        (CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'succeeded' END)::"ExecutionStatus", jsonb_build_array(jsonb_build_object('n', g)),
        t, t, t + interval '2 seconds'
      FROM generate_series(${from}::int, ${to}::int) g, LATERAL (SELECT (now() AT TIME ZONE 'UTC') - interval '31 days' - (g::float / ${RUNS} * 369) * interval '1 day' AS t) c`
    await prisma.$executeRaw`
      INSERT INTO "StepRun" ("id", "tenantId", "executionId", "nodeId", "nodeName", "nodeType", "attempt", "status", "input", "inputCount", "output", "outputCounts", "startedAt", "finishedAt", "durationMs")
      SELECT 's' || g || '_' || n, ${tenantId}, 'old' || g, 'node' || n, 'Node ' || n, 'set', 1, 'succeeded',
        jsonb_build_array(jsonb_build_object('n', g, 'step', n)), 1, jsonb_build_object('main', jsonb_build_array(jsonb_build_object('n', g, 'seen', n, 'ok', true))),
        '{"main":1}'::jsonb, now(), now(), 3
      FROM generate_series(${from}::int, ${to}::int) g, generate_series(1, ${STEPS}::int) n`
    await prisma.$executeRaw`
      INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items")
      SELECT 'old' || g, 'node1', 'main', 1, 1, jsonb_build_array(jsonb_build_object('n', g)) FROM generate_series(${from}::int, ${to}::int) g`
    process.stdout.write(`\rseeding: ${to.toLocaleString()} / ${RUNS.toLocaleString()}`)
  }
  process.stdout.write('\n')
  await prisma.$executeRaw`
    INSERT INTO "Execution" ("id", "tenantId", "workflowId", "versionId", "versionNumber", "mode", "status", "createdAt", "finishedAt")
    SELECT 'young' || g, ${tenantId}, (${wfIds}::text[])[1 + g % 10], (${vIds}::text[])[1 + g % 10], 1, 'webhook', 'succeeded', (now() AT TIME ZONE 'UTC') - (g % 29) * interval '1 day', now()
    FROM generate_series(1, ${YOUNG}::int) g`
  await prisma.$executeRawUnsafe('VACUUM ANALYZE "Execution", "StepRun", "StepOutputPage", "File"')
}

/** EXPLAIN of each statement a batch runs, with the ids of a real batch: the plans must be index scans. */
async function printPlans(stack: Stack) {
  const { prisma, tenantId } = stack
  const before = new Date(Date.now() - 30 * 86_400_000)
  const plan = async (label: string, sql: string, ...args: unknown[]) => {
    const rows = await prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, ...args)
    // The batch's 500 ids make each plan unreadable: shown as $ids.
    console.log(`\n-- ${label}\n${rows.map((r) => r['QUERY PLAN'].replace(/'\{[^}]*\}'::text\[\]/g, '$ids')).join('\n')}`)
  }
  const ids = (await prisma.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Execution" WHERE "tenantId" = ${tenantId} AND "createdAt" < ${before} ORDER BY "createdAt" LIMIT ${BATCH}`).map((r) => r.id)
  await plan(
    'pick a batch',
    `SELECT e."id", e."createdAt" FROM "Execution" e WHERE e."tenantId" = $1 AND e."createdAt" >= $3 AND e."createdAt" < $2 AND e."status" IN ('succeeded', 'failed', 'canceled')
       AND NOT EXISTS (SELECT 1 FROM "EventDelivery" d WHERE d."currentExecutionId" = e."id" AND d."status" = 'running')
     ORDER BY e."createdAt" LIMIT ${BATCH} FOR UPDATE OF e SKIP LOCKED`,
    tenantId, before, new Date(0),
  )
  await plan('files of the batch', `SELECT "id", "executionId" FROM "File" WHERE "executionId" = ANY($1)`, ids)
  await plan('delete output pages', `DELETE FROM "StepOutputPage" WHERE "executionId" = ANY($1)`, ids)
  await plan('delete steps', `DELETE FROM "StepRun" WHERE "executionId" = ANY($1)`, ids)
  await plan('delete runs', `DELETE FROM "Execution" WHERE "id" = ANY($1)`, ids)
  await plan('re-runs of the batch (file hand-over)', `SELECT "id" FROM "Execution" WHERE "retryOfId" = ANY($1)`, ids)
  await plan(
    'per-workflow count boundary',
    `SELECT w."id", b."boundary" FROM "Workflow" w CROSS JOIN LATERAL (SELECT max(x."createdAt") AS "boundary", count(*) AS "n" FROM (
       SELECT e."createdAt" FROM "Execution" e WHERE e."tenantId" = w."tenantId" AND e."workflowId" = w."id" ORDER BY e."createdAt" DESC OFFSET 999 LIMIT 2) x) b
     WHERE w."tenantId" = $1 AND b."n" = 2`,
    tenantId,
  )
}

/**
 * Runs `during` while WRITERS loops insert runs at RATE runs/s in all: each run is its Execution row, then its steps
 * one statement each (as the worker's step recorder writes them). Returns every statement's latency, ascending.
 */
async function writeFor(stack: Stack, wf: { workflowId: string; versionId: string }, during: () => Promise<void>) {
  const { prisma, tenantId } = stack
  let going = true
  const latencies: number[] = []
  let runs = 0
  const timed = async <T>(op: () => Promise<T>): Promise<T> => {
    const t0 = performance.now()
    const out = await op()
    latencies.push(performance.now() - t0)
    return out
  }
  const intervalMs = (1000 * WRITERS) / RATE
  const loops = Array.from({ length: WRITERS }, async (_, w) => {
    await sleep((intervalMs / WRITERS) * w)
    let next = performance.now()
    while (going) {
      const e = await timed(() => prisma.execution.create({ data: { tenantId, workflowId: wf.workflowId, versionId: wf.versionId, versionNumber: 1, mode: 'webhook', status: 'running', input: [{ n: runs }] }, select: { id: true } }))
      for (let n = 1; n <= STEPS; n++) {
        await timed(() => prisma.stepRun.create({ data: { tenantId, executionId: e.id, nodeId: `node${n}`, nodeName: `Node ${n}`, nodeType: 'set', attempt: 1, status: 'succeeded', output: { main: [{ n }] } }, select: { id: true } }))
      }
      runs++
      next += intervalMs
      const wait = next - performance.now()
      if (wait > 0) await sleep(wait)
    }
  })
  await during()
  going = false
  await Promise.all(loops)
  return { latencies: latencies.sort((a, b) => a - b), runs }
}
