// The default ItemStore: pages kept in memory for the life of the run (tests, "test this node", small runs).
// The worker backs the same interface with PostgreSQL so big runs stay bounded.
import type { Item, ItemStore } from './types'

export class MemoryItemStore implements ItemStore {
  private readonly data = new Map<string, Map<string, Item[][]>>()

  async append(nodeId: string, port: string, items: Item[]): Promise<void> {
    if (items.length === 0) return
    let ports = this.data.get(nodeId)
    if (!ports) this.data.set(nodeId, (ports = new Map()))
    let pages = ports.get(port)
    if (!pages) ports.set(port, (pages = []))
    pages.push(items)
  }

  async *pages(nodeId: string, port: string): AsyncIterable<Item[]> {
    const pages = this.data.get(nodeId)?.get(port)
    if (!pages) return
    for (const page of pages) yield page
  }

  async count(nodeId: string, port: string): Promise<number> {
    let n = 0
    for (const page of this.data.get(nodeId)?.get(port) ?? []) n += page.length
    return n
  }

  async clear(nodeId: string): Promise<void> {
    this.data.delete(nodeId)
  }
}
