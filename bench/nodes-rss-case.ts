// One case of bench/nodes-rss.ts, in a fresh process: a trigger streams generated items into one node type (plus the
// small helpers some cases need) and the node's output is dropped as it is written, so the process's peak RSS is the
// engine's and that node's working memory, not the data's. Prints one JSON line: { items, outCount, seconds, ... }.
import fs from 'node:fs/promises'
import type { WorkflowGraph } from '../lib/engine/graph-schema'
import { createRegistry } from '../lib/engine/registry'
import { runWorkflow } from '../lib/engine/run'
import type { Item, ItemStore } from '../lib/engine/types'
import { createSafeHttpClient } from '../lib/net/ssrf'
import { nodeDefinitions } from '../lib/nodes/registry'
import { createSandbox } from '../lib/sandbox/isolate'
import { DiscardingStore } from '../tests/helpers/discarding-store'
import { offlineHostServices } from '../tests/helpers/host-services'
import { memoryFiles } from '../tests/helpers/files'
import { NODE_CASES, ORIGIN } from './nodes-rss-cases'

const [caseName, httpOrigin = ''] = process.argv.slice(2)
const spec = NODE_CASES.find((c) => c.name === caseName)
if (!spec) throw new Error(`unknown case ${caseName}`)
const PAGE = 1000
/** NODES_RSS_ITEMS runs every case with that many items (to see whether a figure grows with the input). */
const ITEMS = Number(process.env.NODES_RSS_ITEMS) || spec.items
/** Pages written or read between two samples of the live heap (a forced GC each, so rare enough not to shape the peak RSS). */
const SAMPLE_EVERY = 25
const SOURCE = 'start'
const MEASURED = 'node'

async function* generate(total: number): AsyncGenerator<Item[]> {
  for (let at = 0; at < total; at += PAGE) yield Array.from({ length: Math.min(PAGE, total - at) }, (_, k) => spec!.make(at + k))
}

/**
 * The trigger's pages are generated again whenever they are read (never held), the measured node's output is counted
 * and dropped, and the helpers' pages are kept until read once (tests/helpers/discarding-store).
 */
class StreamingStore implements ItemStore {
  private readonly kept = new DiscardingStore()
  dropped = 0
  largestWrite = 0
  liveHeap = 0
  /** Time spent in the forced GCs, left out of the throughput. */
  gcMs = 0
  private moved = 0
  async append(nodeId: string, port: string, items: Item[]) {
    this.largestWrite = Math.max(this.largestWrite, items.length)
    this.tick()
    if (nodeId === MEASURED) this.dropped += items.length
    else if (nodeId !== SOURCE) await this.kept.append(nodeId, port, items)
  }
  pages(nodeId: string, port: string): AsyncIterable<Item[]> {
    return nodeId === SOURCE ? this.sampled(generate(ITEMS)) : this.kept.pages(nodeId, port)
  }
  /** Pages read count too: a node that writes only at the end (Summarize, Aggregate) is sampled while it reads. */
  private async *sampled(pages: AsyncIterable<Item[]>) {
    for await (const page of pages) {
      this.tick()
      yield page
    }
  }
  /** What the steps really hold, garbage aside: the heap right after a full GC, every SAMPLE_EVERY pages moved. */
  private tick() {
    if (++this.moved % SAMPLE_EVERY !== 0 || !globalThis.gc) return
    const started = performance.now()
    globalThis.gc()
    this.liveHeap = Math.max(this.liveHeap, process.memoryUsage().heapUsed)
    this.gcMs += performance.now() - started
  }
  count(nodeId: string, port: string) {
    return this.kept.count(nodeId, port)
  }
  clear(nodeId: string) {
    return this.kept.clear(nodeId)
  }
}

const node = (id: string, type: string, params: Record<string, unknown>) => ({ id, type, typeVersion: 1, name: id, params, settings: {}, position: { x: 0, y: 0 } })
const graph: WorkflowGraph = {
  nodes: [node(SOURCE, 'manual-trigger', {}), node(MEASURED, spec.type, JSON.parse(JSON.stringify(spec.params).replaceAll(ORIGIN, httpOrigin))), ...(spec.helpers ?? []).map((h) => node(h.id, h.type, h.params))],
  edges: (spec.edges ?? [[SOURCE, MEASURED]]).map(([source, target, targetPort = 'main']) => ({ source, sourcePort: 'main', target, targetPort })),
  notes: [],
}

const sandbox = createSandbox({ poolSize: 1 })
const http = createSafeHttpClient({ allowList: httpOrigin ? [new URL(httpOrigin).host] : [] })
const store = new StreamingStore()
globalThis.gc?.()
// Convert to File writes its file here (a temporary folder), removed when the case ends.
const files = memoryFiles()
const { rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage()
const started = performance.now()
const result = await runWorkflow({
  graph,
  registry: createRegistry(nodeDefinitions),
  executionId: 'bench',
  workflowId: 'bench',
  tenantId: 'bench',
  input: generate(ITEMS),
  pageSize: PAGE,
  store,
  services: { http, sandbox, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), ...offlineHostServices(), files },
  getCredential: async () => Promise.reject(new Error('no credentials in the bench')),
  limits: { maxItemsPerStep: 10_000_000 },
})
const seconds = (performance.now() - started - store.gcMs) / 1000
if (result.status !== 'succeeded') throw new Error(`${caseName}: run ${result.status}: ${result.error?.message}`)
console.log(
  JSON.stringify({
    items: ITEMS,
    outCount: store.dropped,
    seconds,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    largestWrite: store.largestWrite,
    liveHeapMiB: store.liveHeap / 2 ** 20,
    heapBeforeMiB: heapBefore / 2 ** 20,
  }),
)
sandbox.dispose()
await http.close()
await fs.rm(files.root, { recursive: true, force: true })
process.exit(0)
