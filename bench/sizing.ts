// Sizing figures for docs/operations.md: one real worker process (as `npm run start:worker` runs it) takes
// SIZING_BENCH_RUNS executions of the 3-step workflow of the queue bench (manual → Set → Code), and the bench reports
// the worker's CPU per execution (its whole process tree: Code nodes run in sandbox children), and what 1,000
// executions cost PostgreSQL (pg_stat_database of the bench's own database: transactions, rows written, size) and
// Redis (INFO commandstats of a redis-server started for the bench, so other clients of :6379 do not count).
// Enqueueing (the web side: Execution row + BullMQ job) is included in the PostgreSQL and Redis figures, not in the
// worker's CPU.
import fs from 'node:fs'
import os from 'node:os'
import pg from 'pg'
import { startRedisServer } from '../lib/infra/redis-server'
import { createExecutionQueue } from '../lib/queue'
import { noopEmitter } from '../lib/realtime/emitter'
import { createRedis, redisConnection } from '../lib/redis'
import { startExecution } from '../lib/services/executions'
import { startProcess, stopProcess } from './processes'
import type { PrismaClient } from '../lib/db/client'
import { benchStack, processEnv, threeStepGraph, waitAllDone } from './queue'
import type { BenchRow } from './types'

const N = Number(process.env.SIZING_BENCH_RUNS ?? 2000)
const CONCURRENCY = Number(process.env.SIZING_BENCH_WORKER_CONCURRENCY ?? 20)
const WARMUP = 100

/** CPU seconds (user + system) of a process and all its live descendants, from /proc. */
function treeCpuSeconds(rootPid: number): number {
  const ticks = 100 // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const raw = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ')
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks })
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0
  const walk = (pid: number) => {
    total += stats.get(pid)?.cpu ?? 0
    for (const [child, s] of stats) if (s.ppid === pid) walk(child)
  }
  walk(rootPid)
  return total
}

interface PgCounters { xact_commit: number; tup_inserted: number; tup_updated: number; tup_deleted: number; tup_returned: number; tup_fetched: number; size: number }

async function pgCounters(url: string): Promise<PgCounters> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await new Promise((r) => setTimeout(r, 500))
    await client.query('SELECT pg_stat_clear_snapshot()')
    const { rows } = await client.query(
      `SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, tup_returned, tup_fetched, pg_database_size(datname) AS size
         FROM pg_stat_database WHERE datname = current_database()`,
    )
    return Object.fromEntries(Object.entries(rows[0] as Record<string, string>).map(([k, v]) => [k, Number(v)])) as unknown as PgCounters
  } finally {
    await client.end()
  }
}

async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const redis = createRedis(url)
  try {
    const info = await redis.info('commandstats')
    const calls = new Map<string, number>()
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1], Number(m[2]))
    return calls
  } finally {
    redis.disconnect()
  }
}

/** Waits for `total` finished runs polling twice a second (the queue bench's 50 ms polls would show in the figures);
 * returns how many polls (one transaction each) it made. */
async function waitQuietly(prisma: PrismaClient, total: number): Promise<number> {
  for (let polls = 1; ; polls++) {
    const done = await prisma.execution.count({ where: { status: { in: ['succeeded', 'failed', 'canceled'] } } })
    if (done >= total) {
      if (await prisma.execution.count({ where: { status: 'failed' } })) throw new Error('an execution failed')
      return polls + 1
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const redisServer = await startRedisServer(fs.mkdtempSync(`${os.tmpdir()}/auterity-sizing-redis-`))
  process.env.REDIS_URL = redisServer.url
  const stack = await benchStack('sizing')
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const redis = createRedis(stack.redisUrl)
  const worker = await startProcess(['workers/worker.ts'], processEnv(stack, { AUTERITY_WORKER_CONCURRENCY: String(CONCURRENCY), AUTERITY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), NEXTAUTH_SECRET: 'bench' }), '[worker] ready')
  try {
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Sizing' } })
    const version = await stack.prisma.workflowVersion.create({
      data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph: threeStepGraph({ id: 'trigger', type: 'manual-trigger', name: 'Trigger', params: {} }) as object },
    })
    const deps = { prisma: stack.prisma, queue, emitter: noopEmitter, redis }
    const req = (n: number) => ({ tenantId: stack.tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, input: [{ n }], mode: 'api' })
    const enqueue = async (from: number, count: number) => {
      for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, k) => startExecution(deps, req(from + i + k))))
    }

    // Warm-up: sandbox children, pools, JIT.
    await enqueue(0, WARMUP)
    await waitAllDone(stack.prisma, WARMUP)

    // An idle backend flushes its statistics to pg_stat_database up to 10 s late (PGSTAT_IDLE_INTERVAL): the warm-up's
    // must be in before the first reading, and the run's are flushed by ending the connections before the second.
    await new Promise((r) => setTimeout(r, 11_000))
    const pg0 = await pgCounters(stack.url)
    const redis0 = await redisCommandCalls(stack.redisUrl)
    const cpu0 = treeCpuSeconds(worker.pid!)
    const t0 = performance.now()
    await enqueue(WARMUP, N)
    const polls = await waitQuietly(stack.prisma, WARMUP + N)
    const wallS = (performance.now() - t0) / 1000
    const cpuS = treeCpuSeconds(worker.pid!) - cpu0
    await stopProcess(worker)
    await stack.prisma.$disconnect()
    const pg1 = await pgCounters(stack.url)
    const redis1 = await redisCommandCalls(stack.redisUrl)

    const per1000 = (d: number) => (d * 1000) / N
    const redisDelta = [...redis1].map(([cmd, calls]) => [cmd, calls - (redis0.get(cmd) ?? 0)] as const).filter(([, d]) => d > 0).sort((a, b) => b[1] - a[1])
    const redisTotal = redisDelta.reduce((s, [, d]) => s + d, 0)
    const top = redisDelta.slice(0, 6).map(([cmd, d]) => `${cmd} ${Math.round(per1000(d))}`).join(', ')
    return [
      { name: `executions/s, one worker (concurrency ${CONCURRENCY}), 3-step workflow, ${N} runs`, value: N / wallS, unit: 'exec/s' },
      { name: 'worker CPU per execution (process + sandbox children)', value: (cpuS * 1000) / N, unit: 'ms', notes: `${cpuS.toFixed(1)} CPU-s over ${wallS.toFixed(1)} s` },
      { name: 'executions per worker CPU-second (one busy core)', value: N / cpuS, unit: 'exec/s/core' },
      { name: 'PostgreSQL transactions committed per 1,000 executions', value: per1000(pg1.xact_commit - pg0.xact_commit - polls), unit: 'xact', notes: `the bench's own ${polls} progress polls taken out` },
      { name: 'PostgreSQL rows inserted per 1,000 executions', value: per1000(pg1.tup_inserted - pg0.tup_inserted), unit: 'rows' },
      { name: 'PostgreSQL rows updated per 1,000 executions', value: per1000(pg1.tup_updated - pg0.tup_updated), unit: 'rows' },
      { name: 'PostgreSQL rows read (returned + fetched) per 1,000 executions', value: per1000(pg1.tup_returned - pg0.tup_returned + pg1.tup_fetched - pg0.tup_fetched), unit: 'rows' },
      { name: 'PostgreSQL database growth per 1,000 executions', value: per1000(pg1.size - pg0.size) / 1024 ** 2, unit: 'MiB' },
      { name: 'Redis commands per 1,000 executions', value: per1000(redisTotal), unit: 'commands', notes: `top: ${top}` },
    ]
  } finally {
    await stopProcess(worker)
    await queue.close()
    redis.disconnect()
    await stack.drop()
    await redisServer.stop()
  }
}
