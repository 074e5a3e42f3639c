// The default ItemStore: pages kept in memory for the life of the run (tests, "test this node", small runs).
// The worker backs the same interface with PostgreSQL so big runs stay bounded.
import type { Item, ItemStore } from './types'

const NO_PAGES: readonly Item[][] = []
const DONE: Promise<void> = Promise.resolve()

export class MemoryItemStore implements ItemStore {
  private readonly data = new Map<string, Map<string, Item[][]>>()

  append(nodeId: string, port: string, items: Item[]): Promise<void> {
    if (items.length === 0) return DONE
    let ports = this.data.get(nodeId)
    if (!ports) this.data.set(nodeId, (ports = new Map()))
    let pages = ports.get(port)
    if (!pages) ports.set(port, (pages = []))
    pages.push(items)
    return DONE
  }

  /** The pages stored so far, read at once (the scheduler's fast path for a step that takes all its input). */
  pagesNow(nodeId: string, port: string): readonly Item[][] {
    return this.data.get(nodeId)?.get(port) ?? NO_PAGES
  }

  /** A plain iterator rather than an async generator: reading a step's input is on every step's path. Like the
   * generator it replaces, it looks the pages up on the first `next()` and sees pages appended while it reads. */
  pages(nodeId: string, port: string): AsyncIterableIterator<Item[]> {
    return new MemoryPages(this.data, nodeId, port)
  }

  async count(nodeId: string, port: string): Promise<number> {
    let n = 0
    for (const page of this.data.get(nodeId)?.get(port) ?? []) n += page.length
    return n
  }

  clear(nodeId: string): Promise<void> {
    this.data.delete(nodeId)
    return DONE
  }
}

class MemoryPages implements AsyncIterableIterator<Item[]> {
  private list: readonly Item[][] | undefined
  private index = 0
  constructor(
    private readonly data: Map<string, Map<string, Item[][]>>,
    private readonly nodeId: string,
    private readonly port: string,
  ) {}

  [Symbol.asyncIterator](): this {
    return this
  }

  next(): Promise<IteratorResult<Item[]>> {
    this.list ??= this.data.get(this.nodeId)?.get(this.port) ?? NO_PAGES
    if (this.index < this.list.length) return Promise.resolve({ value: this.list[this.index++], done: false })
    this.list = NO_PAGES
    return Promise.resolve({ value: undefined, done: true })
  }

  return(): Promise<IteratorResult<Item[]>> {
    this.list = NO_PAGES
    return Promise.resolve({ value: undefined, done: true })
  }
}
