// Browser capacity: a scrape of 200 local product pages (each ~30 KB of HTML with a product table, a stylesheet and a
// few images, all served by the bench) as 200 runs of Manual → Open Page (waitForSelector + includeHtml) → Code
// (counts the table's rows), through a real worker process (workers/worker.ts, concurrency 20) at browser page caps
// 1, 4 and 8 (AUTERITY_BROWSER_MAX_PAGES): the cap is the limit. Pages per minute (= runs per minute) and the peak
// memory of the worker's process tree, sampled every 200 ms from /proc: the worker's own Node processes (the worker
// and its Code sandbox children) and with the browser processes (Chromium and its renderers). RSS counts memory
// shared between processes once per process; PSS (proportional set size) splits it, and is the better guide to RAM.
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import type { AddressInfo } from 'node:net'
import { benchStack, processEnv, type BenchStack } from './queue'
import { startProcess, stopProcess, WORKER_READY } from './processes'
import type { BenchRow } from './types'
import { createExecutionQueue } from '../lib/queue'
import { createRedis, redisConnection } from '../lib/redis'
import { startExecution } from '../lib/services/executions'
import { noopEmitter } from '../lib/realtime/emitter'
import { gradientPng } from '../tests/helpers/png'

const PAGES = Number(process.env.BROWSER_BENCH_PAGES ?? 200)
const CAPS = (process.env.BROWSER_BENCH_CAPS ?? '1,4,8').split(',').map(Number)
/** A cap's scrape stops here and reports the rate of the runs finished so far (keeps `npm run bench` bounded). */
const PHASE_BUDGET_S = Number(process.env.BROWSER_BENCH_BUDGET_S ?? 30)
const ROWS = 145

// ---------------------------------------------------------------------------------------------
// The site: /p/<n> product pages, /static/site.css, /static/img-<k>.png

function productPage(n: number): string {
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const sku = `SKU-${n}-${String(i).padStart(4, '0')}`
    return `<tr class="product"><td class="sku">${sku}</td><td class="name">Stoneware mug, ${['blue', 'green', 'sand', 'charcoal'][i % 4]} glaze, 350 ml (set of ${1 + (i % 6)})</td><td class="price" data-currency="EUR">${(9.5 + ((n * 7 + i * 13) % 90)).toFixed(2)}</td><td class="stock">${(n + i) % 5 ? 'In stock' : 'Back order'}</td></tr>`
  }).join('\n')
  const imgs = [0, 1, 2, 3].map((k) => `<img src="/static/img-${(n + k) % 6}.png" width="160" height="120" alt="Product photo ${k + 1}">`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Catalogue page ${n}</title><link rel="stylesheet" href="/static/site.css"></head>
<body><header><nav><a href="/">Home</a> · <a href="/p/${n + 1}">Next page</a></nav><h1>Catalogue, page ${n}</h1></header>
<main><section class="gallery">${imgs}</section>
<p class="intro">${'Hand-thrown stoneware, fired twice and glazed by hand in small batches. '.repeat(12)}</p>
<table class="products"><thead><tr><th>SKU</th><th>Product</th><th>Price</th><th>Stock</th></tr></thead><tbody>
${rows}
</tbody></table></main><footer>© Bench Pottery</footer></body></html>`
}

export async function startShop(): Promise<{ port: number; pageBytes: number; close(): Promise<void> }> {
  const css = Buffer.from(`body{font:14px/1.4 sans-serif;margin:0 auto;max-width:960px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px}.price{text-align:right}.gallery img{margin:4px;border-radius:6px}\n`.repeat(20))
  const images = Array.from({ length: 6 }, (_, k) => gradientPng(160 + k * 8, 120))
  const pages = new Map<number, Buffer>()
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const m = /^\/p\/(\d+)$/.exec(path)
    if (m) {
      const n = Number(m[1])
      let body = pages.get(n)
      if (!body) pages.set(n, (body = Buffer.from(productPage(n))))
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }).end(body)
    }
    if (path === '/static/site.css') return res.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'max-age=3600' }).end(css)
    const img = /^\/static\/img-(\d)\.png$/.exec(path)
    if (img && images[Number(img[1])]) return res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' }).end(images[Number(img[1])])
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    pageBytes: Buffer.byteLength(productPage(1)),
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((r) => server.close(() => r()))
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Memory of a process tree, from /proc

interface TreeMemory {
  workerRss: number
  browserRss: number
  workerPss: number
  browserPss: number
  browserProcesses: number
  /** CPU seconds used so far by the tree's live processes and the children they reaped (renderers of closed contexts). */
  workerCpu: number
  browserCpu: number
}

/** /proc/<pid>/stat counts CPU time in clock ticks: 100 a second on Linux (`getconf CLK_TCK`). */
const TICK_S = 0.01

const kib = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0)
const read = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** The tree under `root`: each process's RSS and PSS (MiB), split into Chromium's and the rest. */
function treeMemory(root: number): TreeMemory {
  const children = new Map<number, number[]>()
  const cpu = new Map<number, number>()
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    const stat = read(`/proc/${d}/stat`)
    // pid (comm) state ppid … utime stime cutime cstime: comm may hold spaces and parentheses, so read after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ppid = Number(f[1])
    cpu.set(Number(d), (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_S)
    if (!children.has(ppid)) children.set(ppid, [])
    children.get(ppid)!.push(Number(d))
  }
  const m: TreeMemory = { workerRss: 0, browserRss: 0, workerPss: 0, browserPss: 0, browserProcesses: 0, workerCpu: 0, browserCpu: 0 }
  const stack = [root]
  while (stack.length) {
    const pid = stack.pop()!
    stack.push(...(children.get(pid) ?? []))
    const cmdline = read(`/proc/${pid}/cmdline`)
    // Gone since the scan (a renderer of a closed context): its CPU time shows in its parent's once reaped.
    if (!cmdline) continue
    const browser = /chrom/i.test(cmdline.split('\0')[0])
    const rss = kib(read(`/proc/${pid}/status`), 'VmRSS') / 1024
    const pss = kib(read(`/proc/${pid}/smaps_rollup`), 'Pss') / 1024
    if (browser) {
      m.browserCpu += cpu.get(pid) ?? 0
      m.browserRss += rss
      m.browserPss += pss
      m.browserProcesses++
    } else {
      m.workerCpu += cpu.get(pid) ?? 0
      m.workerRss += rss
      m.workerPss += pss
    }
  }
  return m
}

// ---------------------------------------------------------------------------------------------

async function phase(stack: BenchStack, cap: number, shop: { port: number }): Promise<BenchRow[]> {
  // One database for the three caps; a queue of its own per cap (a cap's leftovers are canceled at its end).
  const prefix = `${stack.prefix}-cap${cap}`
  const redis = createRedis(stack.redisUrl)
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix })
  let worker: ChildProcess | undefined
  let sampler: NodeJS.Timeout | undefined
  let workflowId: string | undefined
  try {
    const graph = {
      nodes: [
        { id: 'trigger', type: 'manual-trigger', name: 'Manual', params: {} },
        {
          id: 'open', type: 'browser-open-page', name: 'Open Page',
          params: { url: `http://127.0.0.1:${shop.port}/p/{{ $json.n }}`, waitForSelector: 'table.products', includeHtml: true, timeoutSeconds: 120 },
        },
        {
          id: 'count', type: 'code', name: 'Count rows',
          params: { source: 'return items.map((i) => ({ n: i.n, title: i.title, rows: (i.html.match(/<tr class="product"/g) || []).length }))', mode: 'runOnceForAllItems' },
        },
      ],
      edges: [{ source: 'trigger', target: 'open' }, { source: 'open', target: 'count' }],
      notes: [],
    }
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: `Scrape, cap ${cap}` } })
    workflowId = wf.id
    const version = await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph: graph as object } })
    const deps = { prisma: stack.prisma, queue, emitter: noopEmitter, redis }
    const startRun = (n: number) => startExecution(deps, { tenantId: stack.tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, input: [{ n }], mode: 'api' })
    const done = () => stack.prisma.execution.count({ where: { workflowId: wf.id, status: { in: ['succeeded', 'failed', 'canceled'] } } })

    worker = await startProcess(
      ['workers/worker.ts'],
      processEnv(stack, { AUTERITY_QUEUE_PREFIX: prefix, AUTERITY_WORKER_DRAIN_MS: '3000', AUTERITY_WORKER_CONCURRENCY: '20', AUTERITY_BROWSER_MAX_PAGES: String(cap), AUTERITY_HTTP_ALLOWLIST: `127.0.0.1:${shop.port}` }),
      WORKER_READY,
    )
    const pid = worker.pid!
    const idle = treeMemory(pid)

    // Warm-up: the browser launched, the Code sandbox and connection pools ready (not timed).
    const WARM = Math.max(2, cap)
    await Promise.all(Array.from({ length: WARM }, (_, i) => startRun(PAGES + i)))
    for (let i = 0; i < 1200 && (await done()) < WARM; i++) await new Promise((r) => setTimeout(r, 100))

    const peak = { workerRss: 0, workerPss: 0, browserProcesses: 0, total: 0, totalPss: 0 }
    const sample = () => {
      const m = treeMemory(pid)
      peak.workerRss = Math.max(peak.workerRss, m.workerRss)
      peak.workerPss = Math.max(peak.workerPss, m.workerPss)
      peak.browserProcesses = Math.max(peak.browserProcesses, m.browserProcesses)
      peak.total = Math.max(peak.total, m.workerRss + m.browserRss)
      peak.totalPss = Math.max(peak.totalPss, m.workerPss + m.browserPss)
    }
    sampler = setInterval(sample, 200)

    const cpu0 = treeMemory(pid)
    const t0 = performance.now()
    for (let i = 0; i < PAGES; i += 50) await Promise.all(Array.from({ length: Math.min(50, PAGES - i) }, (_, k) => startRun(i + k)))
    // Rate and CPU are counted from the moment the first `cap` pages are done (the pipeline full: pages in progress
    // at both ends of the window, so a cut by the budget does not charge unfinished pages' work to finished ones).
    let from: { at: number; finished: number; cpu: TreeMemory } | undefined
    let finished = 0
    for (;;) {
      finished = (await done()) - WARM
      if (!from && finished >= cap) from = { at: performance.now(), finished, cpu: treeMemory(pid) }
      if (finished >= PAGES || performance.now() - t0 > PHASE_BUDGET_S * 1000) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const end = performance.now()
    const seconds = (end - t0) / 1000
    const load = os.loadavg()[0]
    clearInterval(sampler)
    sample()
    const cpu1 = treeMemory(pid)
    const counted = Math.max(1, finished - (from?.finished ?? 0))
    const windowS = (end - (from?.at ?? t0)) / 1000
    const workerCpuMs = ((cpu1.workerCpu - (from ?? { cpu: cpu0 }).cpu.workerCpu) * 1000) / counted
    const browserCpuMs = ((cpu1.browserCpu - (from ?? { cpu: cpu0 }).cpu.browserCpu) * 1000) / counted

    const failed = await stack.prisma.execution.findMany({ where: { workflowId: wf.id, status: { in: ['failed', 'canceled'] } }, select: { error: true }, take: 3 })
    const failedCount = await stack.prisma.execution.count({ where: { workflowId: wf.id, status: { in: ['failed', 'canceled'] } } })
    const countStep = await stack.prisma.stepRun.findFirst({ where: { execution: { workflowId: wf.id }, nodeId: 'count', status: 'succeeded' }, select: { output: true } })
    const rows = (countStep?.output as { main?: { rows?: number }[] } | null)?.main?.[0]?.rows
    if (rows !== ROWS) throw new Error(`the Code step counted ${rows} rows, expected ${ROWS}`)
    const mean = async (nodeId: string) => (await stack.prisma.stepRun.aggregate({ where: { execution: { workflowId: wf.id }, nodeId, status: 'succeeded' }, _avg: { durationMs: true } }))._avg.durationMs ?? NaN
    const [openMs, countMs] = [await mean('open'), await mean('count')]
    const label = `cap ${cap}`
    const partial = finished < PAGES ? `; only ${finished} of ${PAGES} pages within the ${PHASE_BUDGET_S} s budget` : ''
    return [
      {
        name: `${label}: pages/min, ${PAGES} product pages (runs of Open Page → Code), worker concurrency 20`,
        value: (counted / windowS) * 60,
        unit: 'pages/min',
        notes: `${finished} runs in ${seconds.toFixed(1)} s (the rate: ${counted} runs in the last ${windowS.toFixed(1)} s, from the ${cap}th done), ${failedCount} failed${failed.length ? ` (${JSON.stringify(failed[0].error).slice(0, 200)})` : ''}${partial}; ${rows} rows counted per page; mean step: Open Page ${Math.round(openMs)} ms (waiting for a page included), Code ${Math.round(countMs)} ms; load average ${load.toFixed(1)} on ${os.cpus().length} CPUs at the end`,
      },
      {
        name: `${label}: CPU time per page, worker + browsers`,
        value: workerCpuMs + browserCpuMs,
        unit: 'ms',
        notes: `worker ${Math.round(workerCpuMs)} ms (runs, steps, Code), browsers ${Math.round(browserCpuMs)} ms; ${Math.round(60_000 / (workerCpuMs + browserCpuMs))} pages/min per fully available core`,
      },
      { name: `${label}: peak RSS, worker (Node processes)`, value: peak.workerRss, unit: 'MiB', notes: `idle after start ${idle.workerRss.toFixed(0)} MiB` },
      { name: `${label}: peak RSS, worker + browsers`, value: peak.total, unit: 'MiB', notes: `up to ${peak.browserProcesses} browser processes; RSS summed per process (shared pages counted in each)` },
      { name: `${label}: peak PSS, worker + browsers`, value: peak.totalPss, unit: 'MiB', notes: `proportional: shared pages split between processes (worker alone ${peak.workerPss.toFixed(0)} MiB)` },
    ]
  } finally {
    if (sampler) clearInterval(sampler)
    if (worker) await stopProcess(worker)
    // Runs left when the budget ran out: canceled, so that no later worker's reconciler takes them up.
    if (workflowId) await stack.prisma.execution.updateMany({ where: { workflowId, status: { in: ['queued', 'running'] } }, data: { status: 'canceled', finishedAt: new Date() } })
    await queue.close()
    redis.disconnect()
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const shop = await startShop()
  const stack = await benchStack('browser')
  try {
    const rows: BenchRow[] = []
    for (const cap of CAPS) rows.push(...(await phase(stack, cap, shop)))
    rows.push({ name: 'product page size (HTML only; plus a stylesheet and 4 images per page)', value: shop.pageBytes / 1024, unit: 'KiB' })
    return rows
  } finally {
    await stack.drop()
    await shop.close()
  }
}
