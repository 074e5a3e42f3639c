// 1,000,000 items through the page-by-page core nodes: every execute() call sees one page, every store write is
// one page, and the digests the nodes keep (keys seen, groups) are all that crosses pages.
import { describe, expect, it } from 'vitest'
import type { Item, ItemStore } from '@/lib/engine/types'
import { numbered, runFlow } from './flow'

/** Drops each page once read (every output here has one consumer) and records the size of every write. */
class DroppingStore implements ItemStore {
  appendSizes = new Set<number>()
  private pagesByKey = new Map<string, Item[][]>()
  async append(nodeId: string, port: string, items: Item[]) {
    this.appendSizes.add(items.length)
    const key = `${nodeId}/${port}`
    this.pagesByKey.set(key, [...(this.pagesByKey.get(key) ?? []), items])
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

describe('core nodes on 1,000,000 items', () => {
  it('filter → split out → remove duplicates → limit → summarize, one page at a time', { timeout: 120_000 }, async () => {
    const store = new DroppingStore()
    const flow = await runFlow(
      [
        { id: 'even', type: 'filter', params: { conditions: [{ left: '{{ $json.even }}', operator: 'isTrue' }] } },
        { id: 'split', type: 'split-out', params: { field: 'pair', include: 'allOtherFields' } },
        { id: 'dedupe', type: 'remove-duplicates', params: { compare: 'selectedFields', fields: ['i'] } },
        { id: 'limit', type: 'limit', params: { maxItems: 400_000, keep: 'last' } },
        { id: 'sum', type: 'summarize', params: { groupBy: ['side'], aggregations: [{ operation: 'count' }, { operation: 'min', field: 'i' }, { operation: 'max', field: 'i' }] } },
      ],
      numbered(1_000_000, 1000, (i) => ({ i, even: i % 2 === 0, pair: [{ side: 'l' }, { side: 'r' }] })),
      { pageSize: 1000, store },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(Object.fromEntries(Object.entries(flow.result.steps).map(([id, s]) => [id, s.outputCounts.main]))).toEqual({
      start: 1_000_000,
      even: 500_000,
      split: 1_000_000,
      dedupe: 500_000,
      limit: 400_000,
      sum: 1,
    })
    expect(await flow.output('sum')).toEqual([{ side: 'l', count: 400_000, min_i: 200_000, max_i: 999_998 }])
    for (const type of ['filter', 'split-out', 'remove-duplicates', 'limit', 'summarize']) expect(flow.largestPage(type)).toBeLessThanOrEqual(1000)
    expect(Math.max(...store.appendSizes)).toBeLessThanOrEqual(1000)
  })
})
