// What the steps of a run read from it: their input (pages from the store, or a loop's current batch) and the data
// expressions see ($trigger, $node). WorkflowRun (./run.ts) schedules the steps on top of it.
import { MAIN_PORT, type GraphNode } from './graph-schema'
import type { ExpressionData, NodeOutputRef } from './expressions'
import type { LoopState } from './loop-runner'
import type { LoopShape } from './loops'
import { MemoryItemStore } from './memory-store'
import type { NodeRuntime } from './step'
import { pagesOf } from './util'
import { NodeError, type Item, type ItemStore, type RunOptions } from './types'

const NO_LOOPS: ReadonlyMap<string, LoopShape> = new Map()

export class RunData {
  readonly store: ItemStore
  readonly pageSize: number
  /** The trigger's first item ($trigger, and `$json` when a step has no input). */
  triggerFirst: Item | undefined
  readonly runtimes = new Map<string, NodeRuntime>()
  /** Set when the store is a plain MemoryItemStore, whose pages can be read without awaiting. */
  private readonly memory: MemoryItemStore | undefined
  private readonly execution: { id: string; workflowId: string }
  private readonly nodeOutputOf: (name: string) => Promise<NodeOutputRef>
  private readonly firstPages = new Map<string, Promise<Item[]>>()
  protected nodesByName: ReadonlyMap<string, GraphNode> = new Map()
  protected loops: ReadonlyMap<string, LoopShape> = NO_LOOPS
  protected loopOf: ReadonlyMap<string, LoopShape> = NO_LOOPS
  protected readonly loopStates = new Map<string, LoopState>()

  constructor(protected readonly opts: RunOptions) {
    this.store = opts.store ?? new MemoryItemStore()
    this.memory = Object.getPrototypeOf(this.store) === MemoryItemStore.prototype ? (this.store as MemoryItemStore) : undefined
    this.pageSize = Math.max(1, opts.pageSize ?? 1000)
    this.execution = { id: opts.executionId, workflowId: opts.workflowId }
    this.nodeOutputOf = (name) => this.nodeOutput(name)
  }

  expressionData(item: Item | undefined, itemIndex: number, inputItems: Item[]): ExpressionData {
    const run = this
    return {
      item: item ?? this.triggerFirst,
      itemIndex,
      inputItems() {
        return inputItems
      },
      async trigger() {
        return run.triggerFirst
      },
      nodeOutput: this.nodeOutputOf,
      async allNodeOutputs() {
        // Node names are user text: entries (not `all[name] =`) keep a node called "__proto__" an ordinary key.
        const all: [string, NodeOutputRef][] = []
        for (const rt of run.runtimes.values()) if (rt.state.status === 'succeeded') all.push([rt.node.name, await run.nodeOutput(rt.node.name)])
        return Object.fromEntries(all)
      },
      execution: this.execution,
      sandbox: this.opts.services.sandbox,
    }
  }

  async *inputPages(rt: NodeRuntime, port: string): AsyncGenerator<Item[]> {
    for (const e of rt.inEdges) {
      if (e.targetPort !== port) continue
      // A loop's current batch is held by the loop (one batch), not stored.
      const batch = this.loopBatch(e.source, e.sourcePort)
      if (batch) yield* pagesOf(batch, this.pageSize)
      else yield* this.store.pages(e.source, e.sourcePort)
    }
  }

  inputPagesNow(rt: NodeRuntime, port: string): Item[][] | undefined {
    const { memory } = this
    if (!memory) return undefined
    const pages: Item[][] = []
    for (const e of rt.inEdges) {
      if (e.targetPort !== port) continue
      const batch = this.loopBatch(e.source, e.sourcePort)
      for (const page of batch ? pagesOf(batch, this.pageSize) : memory.pagesNow(e.source, e.sourcePort)) pages.push(page)
    }
    return pages
  }

  inputItems(rt: NodeRuntime, port: string): Item[] | Promise<Item[]> {
    const pages = this.inputPagesNow(rt, port)
    if (!pages) return this.readInputItems(rt, port)
    const items: Item[] = []
    for (const page of pages) for (const item of page) items.push(item)
    return items
  }

  inputCount(rt: NodeRuntime, port: string): number {
    let n = 0
    for (const e of rt.inEdges) if (e.targetPort === port) n += this.runtimes.get(e.source)!.state.outputCounts[e.sourcePort] ?? 0
    return n
  }

  /** The first page of a node's output (its `main`; a loop node's done port), read once per run. */
  protected firstPage(nodeId: string): Promise<Item[]> {
    let page = this.firstPages.get(nodeId)
    if (!page) {
      page = readFirstPage(this.store.pages(nodeId, this.loops.get(nodeId)?.donePort ?? MAIN_PORT))
      this.firstPages.set(nodeId, page)
    }
    return page
  }

  /** A body node's output is read again in each iteration. */
  protected forgetFirstPage(nodeId: string): void {
    this.firstPages.delete(nodeId)
  }

  private async readInputItems(rt: NodeRuntime, port: string): Promise<Item[]> {
    const items: Item[] = []
    for (const e of rt.inEdges) {
      if (e.targetPort !== port) continue
      const batch = this.loopBatch(e.source, e.sourcePort)
      if (batch) for (const item of batch) items.push(item)
      else for await (const page of this.store.pages(e.source, e.sourcePort)) for (const item of page) items.push(item)
    }
    return items
  }

  private loopBatch(source: string, sourcePort: string): Item[] | undefined {
    return this.loops.size > 0 && this.loops.get(source)?.bodyPort === sourcePort ? this.loopStates.get(source)!.batch : undefined
  }

  private async nodeOutput(name: string): Promise<NodeOutputRef> {
    const node = this.nodesByName.get(name)
    if (!node) throw new NodeError(`Expression references node "${name}", which is not in this workflow`, { code: 'EXPRESSION_UNKNOWN_NODE' })
    // A loop node seen from its body: the current batch.
    const batch = this.loopStates.get(node.id)?.batch
    if (batch) return { json: batch[0], items: batch.slice(0, this.pageSize) }
    const rt = this.runtimes.get(node.id)
    if (!rt || rt.state.status !== 'succeeded') {
      throw new NodeError(`Expression references node "${name}", which has not run before this step`, { code: 'EXPRESSION_NODE_NOT_RUN' })
    }
    const items = await this.firstPage(node.id)
    return { json: items[0], items }
  }
}

async function readFirstPage(pages: AsyncIterable<Item[]>): Promise<Item[]> {
  for await (const p of pages) return p
  return []
}
