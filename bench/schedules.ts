// 1,000 active Schedule triggers firing at the same instant, consumed by three worker processes (`workers/worker.ts`,
// as in production; SCHEDULE_BENCH_WORKERS and SCHEDULE_BENCH_WORKER_CONCURRENCY change that). Shortened from "on one
// minute" to a 6-field cron firing every 20 s (`*/20 * * * * *`: the same 1,000 ticks at the same second, three times
// in a minute), so three ticks fit in about a minute. For each tick of each schedule: delay from the scheduled time to
// the run being started (its Execution row, queued for the workers: the bar, < 1 s) and to a worker picking the run
// up (startedAt: how fast the workers work off 1,000 runs arriving at once, a matter of their number and concurrency
// on the machine), p50/p99/max; duplicates (two runs for one schedule's tick, counted from the runs' own input, not
// from the unique row that prevents them) must be 0, and missing/skipped ticks are counted too. The registrations are
// written straight to the database (what activation writes, without 1,000 activation requests) and the workers pick
// them up from their first sync. The 1,000 share one key (same fire times and zone), so BullMQ delivers one job per
// tick. SCHEDULE_BENCH_DEBUG=1 prints each tick's figures; SCHEDULE_BENCH_CPU_PROFILE=<dir> writes the workers'
// CPU profiles there.
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { redisConnection } from '../lib/redis'
import { createScheduleQueue } from '../lib/queue/schedules'
import { scheduleKey, scheduleTriggerParams } from '../lib/nodes/schedule-trigger/definition'
import { benchStack, processEnv } from './queue'
import { cpuProfileFlags, startProcess, stopProcess, WORKER_READY } from './processes'
import type { BenchRow } from './types'
import { pct } from './stats'

const SCHEDULES = Number(process.env.SCHEDULE_BENCH_COUNT ?? 1000)
const WORKERS = Number(process.env.SCHEDULE_BENCH_WORKERS ?? 3)
/** Per worker; 16 by default: three workers' two pools each (Prisma's and the hot path's, sized to the concurrency)
 * stay within the shared server's 100 connections. */
const CONCURRENCY = Number(process.env.SCHEDULE_BENCH_WORKER_CONCURRENCY ?? 16)
const PATTERN = '*/20 * * * * *'
const PERIOD_MS = 20_000
const TICKS = 3

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('schedules')
  const { prisma, tenantId } = stack
  const schedulers = createScheduleQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const workers: ChildProcess[] = []
  try {
    const tag = randomBytes(3).toString('hex')
    const ids = Array.from({ length: SCHEDULES }, (_, i) => `wf_${tag}_${i}`)
    const params = { mode: 'cron', cron: PATTERN, timezone: 'UTC', missed: 'skip', every: 15, unit: 'minutes' }
    const graph = {
      nodes: [
        { id: 'tick', type: 'schedule-trigger', name: 'Schedule', params, position: { x: 0, y: 0 } },
        { id: 'set', type: 'set', name: 'Set', params: { fields: [{ name: 'seen', value: '{{ $json.timestamp }}', type: 'auto' }], keepOtherFields: true }, position: { x: 200, y: 0 } },
      ],
      edges: [{ source: 'tick', target: 'set' }],
      notes: [],
    }
    await prisma.workflow.createMany({ data: ids.map((id) => ({ id, tenantId, name: id, active: true, publishedVersion: 1 })) })
    await prisma.workflowVersion.createMany({ data: ids.map((id) => ({ id: `${id}_v1`, tenantId, workflowId: id, number: 1, graph })) })
    await prisma.triggerRegistration.createMany({
      data: ids.map((id) => ({ id: `${id}_r`, tenantId, workflowId: id, nodeId: 'tick', kind: 'schedule', nodeType: 'schedule-trigger', key: scheduleKey(scheduleTriggerParams.parse(params)), config: params, versionId: `${id}_v1`, versionNumber: 1 })),
    })

    const env = processEnv(stack, { AUTERITY_WORKER_CONCURRENCY: String(CONCURRENCY) })
    const syncStart = Date.now()
    workers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => startProcess(['workers/worker.ts'], env, WORKER_READY, cpuProfileFlags(process.env.SCHEDULE_BENCH_CPU_PROFILE))))))
    for (;;) {
      if ((await schedulers.count()) >= 1) break // the 1,000 share one key
      if (Date.now() - syncStart > 60_000) throw new Error('the workers did not create the job scheduler within 60 s')
      await sleep(200)
    }
    const syncMs = Date.now() - syncStart

    // The ticks measured: the next TICKS slots at least 2 s away (the schedulers are all in place by then).
    const first = (Math.floor((Date.now() + 2000) / PERIOD_MS) + 1) * PERIOD_MS
    const slots = Array.from({ length: TICKS }, (_, i) => new Date(first + i * PERIOD_MS))
    const deadline = slots[TICKS - 1].getTime() + 30_000
    for (;;) {
      await sleep(1000)
      const started = await prisma.execution.count({ where: { tenantId, mode: 'schedule', startedAt: { not: null } } })
      const ticks = await prisma.scheduleTick.count({ where: { tenantId, tickAt: { in: slots } } })
      if ((ticks >= SCHEDULES * TICKS && started >= SCHEDULES * TICKS) || Date.now() > deadline) break
    }

    const rows = await prisma.scheduleTick.findMany({ where: { tenantId, tickAt: { in: slots } }, select: { status: true, tickAt: true, executionId: true, lateMs: true } })
    const runs = await prisma.execution.findMany({ where: { tenantId, mode: 'schedule' }, select: { id: true, workflowId: true, input: true, createdAt: true, startedAt: true } })
    const byId = new Map(runs.map((r) => [r.id, r]))
    const takenUp = rows.map((r) => r.lateMs).sort((x, y) => x - y)
    const toRow: number[] = []
    const toStart: number[] = []
    for (const row of rows) {
      const run = row.executionId ? byId.get(row.executionId) : undefined
      if (!run) continue
      toRow.push(run.createdAt.getTime() - row.tickAt.getTime())
      if (run.startedAt) toStart.push(run.startedAt.getTime() - row.tickAt.getTime())
    }
    // Duplicates from the runs themselves: two runs whose trigger item names the same schedule and tick.
    const seen = new Map<string, number>()
    for (const run of runs) {
      const ts = (run.input as Array<{ timestamp?: string }>)[0]?.timestamp
      const key = `${run.workflowId}|${ts}`
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }
    const duplicates = [...seen.values()].reduce((n, c) => n + (c - 1), 0)
    const measuredRuns = runs.filter((r) => slots.some((s) => s.toISOString() === (r.input as Array<{ timestamp?: string }>)[0]?.timestamp)).length
    const skipped = rows.filter((r) => r.status === 'skipped').length
    const missing = SCHEDULES * TICKS - rows.length
    // Per tick: when the workers picked its runs up (the first tick runs cold code paths in every worker).
    const perTick = slots.map((slot) =>
      rows.filter((r) => r.tickAt.getTime() === slot.getTime()).flatMap((r) => {
        const run = r.executionId ? byId.get(r.executionId) : undefined
        return run?.startedAt ? [run.startedAt.getTime() - slot.getTime()] : []
      }).sort((x, y) => x - y),
    )
    const firstTickMax = perTick[0].at(-1) ?? NaN
    if (process.env.SCHEDULE_BENCH_DEBUG) {
      for (const [i, starts] of perTick.entries()) {
        console.log(`[bench] tick ${slots[i].toISOString()}: run picked up p50 ${pct(starts, 50)} ms, p99 ${pct(starts, 99)} ms, max ${starts.at(-1)} ms`)
      }
    }
    toRow.sort((x, y) => x - y)
    toStart.sort((x, y) => x - y)
    const notes = `${SCHEDULES} schedules on "${PATTERN}" (UTC), ${TICKS} ticks, ${WORKERS} worker process(es) at concurrency ${CONCURRENCY}`
    return [
      { name: 'worker processes started → the job scheduler exists', value: syncMs, unit: 'ms', notes },
      { name: 'tick → a worker took it up (BullMQ delivery), p50', value: pct(takenUp, 50), unit: 'ms' },
      { name: 'tick → a worker took it up (BullMQ delivery), p99', value: pct(takenUp, 99), unit: 'ms' },
      { name: 'tick → run started (its Execution row, queued), p50', value: pct(toRow, 50), unit: 'ms', notes },
      { name: 'tick → run started (its Execution row, queued), p99', value: pct(toRow, 99), unit: 'ms', bar: '< 1000 ms', pass: pct(toRow, 99) < 1000 },
      { name: 'tick → run started (its Execution row, queued), max', value: toRow[toRow.length - 1] ?? NaN, unit: 'ms', bar: '< 1000 ms', pass: (toRow[toRow.length - 1] ?? Infinity) < 1000 },
      { name: 'tick → run picked up by a worker (startedAt), p50', value: pct(toStart, 50), unit: 'ms', notes: 'worker capacity: 1,000 runs at once' },
      { name: 'tick → run picked up by a worker (startedAt), p99', value: pct(toStart, 99), unit: 'ms' },
      { name: 'tick → run picked up by a worker (startedAt), max', value: toStart[toStart.length - 1] ?? NaN, unit: 'ms' },
      { name: 'first tick → run picked up by a worker, max', value: firstTickMax, unit: 'ms', notes: 'the workers\' first tick: cold code paths' },
      { name: 'runs for the measured ticks', value: measuredRuns, unit: 'runs', bar: `= ${SCHEDULES * TICKS}`, pass: measuredRuns === SCHEDULES * TICKS },
      { name: 'duplicate runs (same schedule, same tick)', value: duplicates, unit: 'runs', bar: '= 0', pass: duplicates === 0 },
      { name: 'ticks skipped as late', value: skipped, unit: 'ticks' },
      { name: 'ticks missing (no row)', value: missing, unit: 'ticks', bar: '= 0', pass: missing === 0 },
    ]
  } finally {
    await Promise.all(workers.map(stopProcess))
    await schedulers.close()
    await stack.drop()
  }
}
