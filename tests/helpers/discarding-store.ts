// An ItemStore for runs whose every output has one consumer: each page is handed over once and then forgotten, so
// a big run's memory is what the engine and the nodes hold, not the store. `onAppend` sees every write (the bench
// samples memory there, tests record page sizes).
import type { Item, ItemStore } from '../../lib/engine/types'

export class DiscardingStore implements ItemStore {
  private readonly pagesByKey = new Map<string, Item[][]>()
  constructor(private readonly onAppend: (items: Item[]) => void = () => {}) {}

  async append(nodeId: string, port: string, items: Item[]) {
    const key = `${nodeId}/${port}`
    const list = this.pagesByKey.get(key)
    if (list) list.push(items)
    else this.pagesByKey.set(key, [items])
    this.onAppend(items)
  }
  async *pages(nodeId: string, port: string) {
    const list = this.pagesByKey.get(`${nodeId}/${port}`) ?? []
    while (list.length > 0) yield list.shift()!
  }
  async count(nodeId: string, port: string) {
    return (this.pagesByKey.get(`${nodeId}/${port}`) ?? []).reduce((n, p) => n + p.length, 0)
  }
  async clear(nodeId: string) {
    for (const key of [...this.pagesByKey.keys()]) if (key.startsWith(`${nodeId}/`)) this.pagesByKey.delete(key)
  }
}
