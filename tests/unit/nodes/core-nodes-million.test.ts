// 1,000,000 items through the page-by-page core nodes: every execute() call sees one page, every store write is
// one page, and the digests the nodes keep (keys seen, groups) are all that crosses pages.
import { describe, expect, it } from 'vitest'
import { DiscardingStore } from '../../helpers/discarding-store'
import { numbered, runFlow } from './flow'

describe('core nodes on 1,000,000 items', () => {
  it('filter → split out → remove duplicates → limit → summarize, one page at a time', { timeout: 120_000 }, async () => {
    const appendSizes = new Set<number>()
    const store = new DiscardingStore((items) => appendSizes.add(items.length))
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
    expect(Math.max(...appendSizes)).toBeLessThanOrEqual(1000)
  })
})
