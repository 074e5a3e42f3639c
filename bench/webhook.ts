// Webhook throughput and latency, "when finished" mode: webhook → Set → Code → Respond, every step recorded.
// Load comes from autocannon over 127.0.0.1. The web side is the real route handler (app/api/webhooks) on a
// plain node:http server in this process — Next's own request overhead is not in the loop; the worker is a
// separate `tsx workers/worker.ts` process, as in production.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Readable } from 'node:stream'
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon'
import { benchStack, threeStepGraph } from './queue'
import type { BenchRow } from './types'

const root = path.resolve(import.meta.dirname, '..')
const DURATION_S = Number(process.env.WEBHOOK_BENCH_SECONDS ?? 10)

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}

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

/** utime + stime of a process and all its descendants (Linux /proc), in ms. */
function processTreeCpuMs(pid: number): number {
  const tick = 10 // USER_HZ is 100 on Linux
  let total = 0
  const visit = (p: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      total += (Number(fields[11]) + Number(fields[12])) * tick
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(c))
      }
    } catch {
      // the process ended
    }
  }
  visit(pid)
  return total
}

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('webhook')
  Object.assign(process.env, { DATABASE_URL: stack.url, REDIS_URL: stack.redisUrl, AUTERITY_QUEUE_PREFIX: stack.prefix })
  const worker = spawn(path.join(root, 'node_modules/.bin/tsx'), ['workers/worker.ts'], {
    cwd: root,
    env: { ...process.env, AUTERITY_WORKER_CONCURRENCY: '100', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-node-snapshot`.trim() },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve) => worker.stdout!.on('data', (d) => String(d).includes('[worker] ready') && resolve()))

  const { POST } = await import('../app/api/webhooks/[...path]/route')
  const { closeAppServices } = await import('../lib/services/app')
  const server = createServer(async (req, res) => {
    const url = `http://127.0.0.1${req.url}`
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' ? undefined : (Readable.toWeb(req) as ReadableStream),
      duplex: 'half',
    } as RequestInit)
    const segments = new URL(url).pathname.replace(/^\/api\/webhooks\//, '').split('/')
    const response = await POST(request, { params: Promise.resolve({ path: segments }) })
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  try {
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Webhook bench' } })
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
    for (const connections of [10, 50]) {
      const before = await stack.prisma.execution.count()
      const cpuBefore = processTreeCpuMs(worker.pid!)
      const { result, latencies } = await load(url, connections)
      const workerCpuMs = processTreeCpuMs(worker.pid!) - cpuBefore
      const ok = result['2xx']
      const runs = (await stack.prisma.execution.count()) - before
      rows.push(
        { name: `webhook "when finished", ${connections} connections: requests/s`, value: result.requests.average, unit: 'req/s', bar: connections === 50 ? '> 1,000 req/s' : undefined, pass: connections === 50 ? result.requests.average > 1000 : undefined, notes: `${ok} answered 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${runs} executions` },
        // CPU per request is far less sensitive than req/s to other load on a shared machine: compare this first.
        { name: `webhook, ${connections} connections: worker CPU per execution`, value: workerCpuMs / Math.max(1, runs), unit: 'ms' },
        { name: `webhook, ${connections} connections: p50 latency`, value: pct(latencies, 50), unit: 'ms' },
        { name: `webhook, ${connections} connections: p95 latency`, value: pct(latencies, 95), unit: 'ms' },
        { name: `webhook, ${connections} connections: p99 latency`, value: pct(latencies, 99), unit: 'ms', bar: connections === 50 ? '< 100 ms' : undefined, pass: connections === 50 ? pct(latencies, 99) < 100 : undefined },
      )
    }
    // Where a request's time goes: queued (row insert → worker claim) and running (claim → finished).
    const [phases] = await stack.prisma.$queryRaw<{ queued: number; running: number }[]>`
      SELECT avg(extract(epoch FROM "startedAt" - "createdAt") * 1000)::float AS queued,
             avg(extract(epoch FROM "finishedAt" - "startedAt") * 1000)::float AS running
      FROM "Execution" WHERE "status" = 'succeeded'`
    rows.push(
      { name: 'mean time queued (row insert → worker claim)', value: phases.queued, unit: 'ms' },
      { name: 'mean time running (claim → finished)', value: phases.running, unit: 'ms' },
    )
    // Runs whose HTTP request already got its answer may still be finishing: wait for them before counting.
    for (let i = 0; i < 100 && (await stack.prisma.execution.count({ where: { status: { in: ['queued', 'running'] } } })) > 0; i++) await new Promise((r) => setTimeout(r, 100))
    const executions = await stack.prisma.execution.count({ where: { status: 'succeeded' } })
    const steps = await stack.prisma.stepRun.count({ where: { status: 'succeeded', execution: { status: 'succeeded' } } })
    rows.push({ name: 'steps persisted per succeeded execution', value: steps / Math.max(1, executions), unit: 'rows', bar: '4 (every step)', pass: steps === executions * 4 })
    return rows
  } finally {
    server.close()
    worker.kill('SIGTERM')
    await new Promise((r) => worker.once('exit', r))
    await closeAppServices()
    await stack.drop()
  }
}
