// Peak RSS and throughput per data node type: each case (bench/nodes-rss-cases.ts) runs 1,000,000 items through one
// node in a fresh process (bench/nodes-rss-case.ts), with the input generated as it is read and the node's output
// dropped as it is written, so the figure is the engine's and the node's working memory. Also the live heap (after a
// forced GC, sampled mid-run), which unlike RSS does not depend on when V8 chooses to collect. HTTP Request calls a
// 127.0.0.1 server run here, in this process, so its memory does not count. No bars: these are figures to watch.
// NODES_RSS_CASES=a,b runs only those cases; NODES_RSS_ITEMS=n runs every case with n items.
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { NODE_CASES } from './nodes-rss-cases'
import type { BenchRow } from './types'

const root = path.resolve(import.meta.dirname, '..')

interface CaseResult {
  items: number
  outCount: number
  seconds: number
  rssBeforeMiB: number
  peakRssMiB: number
  largestWrite: number
  liveHeapMiB: number
  heapBeforeMiB: number
}

function runCase(name: string, origin: string): Promise<CaseResult> {
  const child = spawn(process.execPath, ['--no-node-snapshot', '--expose-gc', '--import', 'tsx', path.join(root, 'bench/nodes-rss-case.ts'), name, origin], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += String(d)))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? ''
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as CaseResult)
      else reject(new Error(`case "${name}" exited with ${code}`))
    })
  })
}

export default async function nodesRssBench(): Promise<BenchRow[]> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(`{"ok":true,"path":${JSON.stringify(req.url)}}`)
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const rows: BenchRow[] = []
  const wanted = process.env.NODES_RSS_CASES?.split(',')
  try {
    for (const spec of NODE_CASES.filter((c) => !wanted || wanted.includes(c.name))) {
      const r = await runCase(spec.name, origin)
      const notes = [`${r.items.toLocaleString('en-US')} items in, ${r.outCount.toLocaleString('en-US')} out`, `RSS before the run ${Math.round(r.rssBeforeMiB)} MiB`, `largest write ${r.largestWrite}`, spec.note].filter(Boolean).join('; ')
      rows.push({ name: `${spec.name}: peak RSS`, value: r.peakRssMiB, unit: 'MiB', notes })
      rows.push({ name: `${spec.name}: live heap`, value: r.liveHeapMiB, unit: 'MiB', notes: `heap used right after a forced GC, sampled every 25 pages written or read (${Math.round(r.heapBeforeMiB)} MiB before the run)` })
      rows.push({ name: `${spec.name}: throughput`, value: r.items / r.seconds, unit: 'items/s' })
      const cells = [spec.name.padEnd(20), `peak RSS ${r.peakRssMiB.toFixed(0).padStart(4)} MiB (before ${r.rssBeforeMiB.toFixed(0)})`, `live heap ${r.liveHeapMiB.toFixed(0).padStart(4)} MiB (before ${r.heapBeforeMiB.toFixed(0)})`]
      console.log([...cells, `${Math.round(r.items / r.seconds).toLocaleString('en-US').padStart(9)} items/s`, `${r.outCount} out`].join('  '))
    }
  } finally {
    server.close()
  }
  return rows
}
