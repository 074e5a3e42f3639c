// Webhook throughput and latency, "when finished" mode: webhook → Set → Code → Respond, every step recorded.
// Production processes: the web side is `server.ts --webhooks-only` (the same webhook listener `npm start` puts in
// front of Next) and the worker is `workers/worker.ts`, each its own process. Load comes from autocannon in this
// process over 127.0.0.1. CPU per request is reported for each process of the path, load generator included:
// on a 2-core machine they all share the same two cores.
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon'
import { io as ioClient } from 'socket.io-client'
import { benchStack, processEnv, threeStepGraph } from './queue'
import { freePort, startProcess, stopProcess, WORKER_READY, WEB_READY } from './processes'
import type { BenchRow } from './types'
import { pct } from './stats'

const DURATION_S = Number(process.env.WEBHOOK_BENCH_SECONDS ?? 10)
/** WEBHOOK_BENCH_QUICK=1: only the 50-connection phase (for comparing two changes back to back). */
const QUICK = process.env.WEBHOOK_BENCH_QUICK === '1'
/** Extra node flags for the web and worker processes (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). */
const CHILD_FLAGS = (process.env.WEBHOOK_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)


async function load(url: string, connections: number) {
  const latencies: number[] = []
  const instance = autocannon({
    url,
    connections,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n: 1, customer: 'ada' }),
  })
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms))
  const result = await instance
  latencies.sort((a, b) => a - b)
  return { result, latencies }
}

/** A fixed CPU loop (ms): how fast this machine is right now. Shared VMs vary (up to 60 % within an hour here). */
function cpuProbeMs(): number {
  const t = process.hrtime.bigint()
  let x = 0
  for (let i = 0; i < 1e8; i++) x += i % 7
  if (x < 0) console.log(x)
  return Number(process.hrtime.bigint() - t) / 1e6
}

function stat(pid: number | string): { comm: string; ppid: number; cpu: number; reaped: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
    const tick = 10 // USER_HZ is 100 on Linux
    return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * tick, reaped: (Number(f[13]) + Number(f[14])) * tick }
  } catch {
    return null // the process ended
  }
}

/**
 * CPU time (ms) of a process and all its descendants, live or ended: utime + stime of the live ones plus the
 * cutime + cstime (children already waited for) of each. PostgreSQL backends come and go with pool connections;
 * without the reaped part their CPU would drop out of the sum.
 */
function processTreeCpuMs(pid: number): number {
  let total = 0
  const visit = (p: number) => {
    const s = stat(p)
    if (!s) return
    total += s.cpu + s.reaped
    try {
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(c))
      }
    } catch {
      // ended meanwhile
    }
  }
  visit(pid)
  return total
}

/** Every tree whose root process is called `comm` (e.g. the PostgreSQL postmaster and its backends). */
function cpuOfProgram(comm: string): number {
  let total = 0
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue
    const s = stat(p)
    if (s?.comm === comm && stat(s.ppid)?.comm !== comm) total += processTreeCpuMs(Number(p))
  }
  return total
}

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('webhook')
  const port = await freePort()
  const env = processEnv(stack, { AUTERITY_WORKER_CONCURRENCY: process.env.WEBHOOK_BENCH_WORKER_CONCURRENCY ?? '100', PORT: String(port), HOST: '127.0.0.1' })
  const worker = await startProcess(['workers/worker.ts'], env, WORKER_READY, CHILD_FLAGS)
  const web = await startProcess(['server.ts', '--webhooks-only'], env, WEB_READY, CHILD_FLAGS)
  const base = `http://127.0.0.1:${port}`
  let realtime: ChildProcess | undefined

  try {
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Webhook bench', active: true, publishedVersion: 1 } })
    const graph = threeStepGraph({ id: 'hook', type: 'webhook-trigger', name: 'Webhook', params: { path: 'bench/orders', method: 'POST', responseMode: 'lastNode' } }, [
      { id: 'respond', type: 'respond-to-webhook', name: 'Respond', params: { respondWith: 'firstItem' } },
    ])
    await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph: graph as object } })
    await stack.prisma.webhookTrigger.create({
      data: { tenantId: stack.tenantId, workflowId: wf.id, nodeId: 'hook', path: 'bench/orders', method: 'POST', responseMode: 'lastNode' },
    })
    const url = `${base}/api/webhooks/bench/orders`
    const probe = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' })
    if (probe.status !== 200) throw new Error(`webhook answered ${probe.status}: ${await probe.text()}`)
    await load(url, 10).catch(() => undefined) // warm-up pass, discarded

    const rows: BenchRow[] = []
    const cpu = () => ({
      web: processTreeCpuMs(web.pid!),
      worker: processTreeCpuMs(worker.pid!),
      postgres: cpuOfProgram('postgres'),
      redis: cpuOfProgram('redis-server'),
      load: ((u) => (u.user + u.system) / 1000)(process.cpuUsage()),
      realtime: realtime ? processTreeCpuMs(realtime.pid!) : 0,
    })
    const phase = async (connections: number, label: string, bar: boolean) => {
      rows.push({ name: `CPU speed probe before "${label}" (fixed loop; lower is faster)`, value: cpuProbeMs(), unit: 'ms' })
      const before = await stack.prisma.execution.count()
      const cpuBefore = cpu()
      const { result, latencies } = await load(url, connections)
      const cpuAfter = cpu()
      const runs = (await stack.prisma.execution.count()) - before
      const per = (k: keyof typeof cpuAfter) => (cpuAfter[k] - cpuBefore[k]) / Math.max(1, runs)
      rows.push(
        { name: `webhook "when finished", ${label}: requests/s`, value: result.requests.average, unit: 'req/s', bar: bar ? '> 1,000 req/s' : undefined, pass: bar ? result.requests.average > 1000 : undefined, notes: `${result['2xx']} answered 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${runs} executions` },
        { name: `webhook, ${label}: p50 latency`, value: pct(latencies, 50), unit: 'ms' },
        { name: `webhook, ${label}: p95 latency`, value: pct(latencies, 95), unit: 'ms' },
        { name: `webhook, ${label}: p99 latency`, value: pct(latencies, 99), unit: 'ms', bar: bar ? '< 100 ms' : undefined, pass: bar ? pct(latencies, 99) < 100 : undefined },
        // CPU per request is far less sensitive than req/s to other load on a shared machine: compare this first.
        { name: `webhook, ${label}: CPU per request, web process`, value: per('web'), unit: 'ms' },
        { name: `webhook, ${label}: CPU per request, worker`, value: per('worker'), unit: 'ms' },
        { name: `webhook, ${label}: CPU per request, PostgreSQL`, value: per('postgres'), unit: 'ms' },
        { name: `webhook, ${label}: CPU per request, Redis`, value: per('redis'), unit: 'ms' },
        { name: `webhook, ${label}: CPU per request, load generator`, value: per('load'), unit: 'ms' },
      )
      if (realtime) rows.push({ name: `webhook, ${label}: CPU per request, realtime server`, value: per('realtime'), unit: 'ms' })
      return runs
    }
    if (!QUICK) await phase(10, '10 connections', false)
    await phase(50, '50 connections', true)

    if (!QUICK) {
      // The same with a dashboard open: a realtime server and one Socket.IO client in the tenant's room, so every
      // step event is encoded, published, decoded and delivered (nobody watching skips all of that).
      const rtPort = await freePort()
      realtime = await startProcess(['server.ts', '--realtime-only'], { ...env, PORT: String(rtPort) }, WEB_READY, CHILD_FLAGS)
      const socket = ioClient(`http://127.0.0.1:${rtPort}`, { path: '/socket.io', auth: { token: stack.apiKey }, transports: ['websocket'], reconnection: false })
      let events = 0
      socket.on('step.updated', () => events++)
      socket.on('execution.updated', () => events++)
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => socket.emit('subscribe', { room: 'tenant' }, () => resolve()))
        socket.once('connect_error', reject)
      })
      const watchedRuns = await phase(50, '50 connections, a dashboard open', false)
      socket.close()
      rows.push({ name: 'webhook, a dashboard open: realtime events received per execution', value: events / Math.max(1, watchedRuns), unit: 'events', notes: 'step running + finished per step, execution queued/running/finished' })
    }
    // Runs whose HTTP request already got its answer may still be finishing: wait for them before counting.
    for (let i = 0; i < 100 && (await stack.prisma.execution.count({ where: { status: { in: ['queued', 'running'] } } })) > 0; i++) await new Promise((r) => setTimeout(r, 100))
    // Where a request's time goes: queued (row insert → worker claim) and running (claim → finished).
    const [phases] = await stack.prisma.$queryRaw<{ queued: number; running: number }[]>`
      SELECT avg(extract(epoch FROM "startedAt" - "createdAt") * 1000)::float AS queued,
             avg(extract(epoch FROM "finishedAt" - "startedAt") * 1000)::float AS running
      FROM "Execution" WHERE "status" = 'succeeded'`
    rows.push(
      { name: 'mean time queued (row insert → worker claim)', value: phases.queued, unit: 'ms' },
      { name: 'mean time running (claim → finished)', value: phases.running, unit: 'ms' },
    )
    // Claim and finish update the row in place (HOT, no index writes) when the page has room (see migration 0003).
    const [hot] = await stack.prisma.$queryRaw<{ upd: number; hot: number }[]>`
      SELECT n_tup_upd::float AS upd, n_tup_hot_upd::float AS hot FROM pg_stat_user_tables WHERE relname = 'Execution'`
    if (hot) rows.push({ name: 'Execution row updates done in place (HOT)', value: (100 * hot.hot) / Math.max(1, hot.upd), unit: '%' })
    const executions = await stack.prisma.execution.count({ where: { status: 'succeeded' } })
    const steps = await stack.prisma.stepRun.count({ where: { status: 'succeeded', execution: { status: 'succeeded' } } })
    rows.push({ name: 'steps persisted per succeeded execution', value: steps / Math.max(1, executions), unit: 'rows', bar: '4 (every step)', pass: steps === executions * 4 })
    return rows
  } finally {
    if (realtime) await stopProcess(realtime)
    await stopProcess(web)
    await stopProcess(worker)
    await stack.drop()
  }
}
