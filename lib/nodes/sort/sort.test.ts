import fs from 'node:fs/promises'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { DiscardingStore } from '@/tests/helpers/discarding-store'
import type { Item } from '@/lib/engine/types'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { sortNode } from './definition'

async function sort(sortBy: unknown, input: Record<string, unknown>[]) {
  const flow = await runFlow([{ id: 'sort', type: 'sort', params: { sortBy } }], input)
  return { flow, out: await flow.output('sort') }
}

describe('sort node', () => {
  it('sorts numbers and numeric text as numbers, keeping equal items in input order', async () => {
    const { flow, out } = await sort([{ field: 'v' }], [{ v: '10', n: 1 }, { v: 9, n: 2 }, { v: 10, n: 3 }, { v: -1.5, n: 4 }])
    expect(flow.result.status).toBe('succeeded')
    expect(out.map((x) => x.n)).toEqual([4, 2, 1, 3])
  })

  it.each([
    ['asc', ['2024-01-02', '2024-01-10T08:00:00Z', 'apple', 'banana', 'null', undefined]],
    ['desc', ['banana', 'apple', '2024-01-10T08:00:00Z', '2024-01-02', 'null', undefined]],
  ])('%s: dates by time, text by character, missing and null last', async (order, expected) => {
    const input = [{ v: 'banana' }, { v: null, tag: 'null' }, { v: '2024-01-10T08:00:00Z' }, {}, { v: 'apple' }, { v: '2024-01-02' }]
    const { out } = await sort([{ field: 'v', order }], input)
    expect(out.map((x) => (x.v === null ? x.tag : x.v))).toEqual(expected)
  })

  it('orders mixed kinds: numbers, dates, text, booleans, objects', async () => {
    const { out } = await sort([{ field: 'v' }], [{ v: { a: 1 } }, { v: true }, { v: 'text' }, { v: '2024-05-01' }, { v: 3 }])
    expect(out.map((x) => x.v)).toEqual([3, '2024-05-01', 'text', true, { a: 1 }])
  })

  it('sorts by several fields, the first deciding first', async () => {
    const input = [
      { customer: 'Bob', total: 5 },
      { customer: 'Ann', total: 10 },
      { customer: 'Ann', total: 30 },
      { customer: 'Bob', total: 50 },
    ]
    const { out } = await sort([{ field: 'customer' }, { field: 'total', order: 'desc' }], input)
    expect(out).toEqual([input[2], input[1], input[3], input[0]])
  })

  it('sorts 2,500 items arriving in pages in memory, outputting them on the last page', async () => {
    const flow = await runFlow([{ id: 'sort', type: 'sort', params: { sortBy: [{ field: 'k', order: 'desc' }] } }], numbered(2500, 1000, (i) => ({ i, k: (i * 7) % 2500 })), { pageSize: 1000 })
    const out = await flow.output('sort')
    expect(out.map((x) => x.k)).toEqual(Array.from({ length: 2500 }, (_, i) => 2499 - i))
    expect(flow.calls('sort')).toBe(3)
    expect(flow.largestPage('sort')).toBe(1000)
  })

  it('sorts past inMemoryItems in runs spilled to temporary files, stable across runs, and removes the files', async () => {
    const before = new Set((await fs.readdir(os.tmpdir())).filter((n) => n.startsWith('auterity-sort-')))
    // 20 distinct keys over 2,500 items: many equal keys, so stability across runs shows.
    const input = numbered(2500, 250, (i) => ({ i, k: (i * 7) % 20 }))
    const flow = await runFlow([{ id: 'sort', type: 'sort', params: { sortBy: [{ field: 'k' }], inMemoryItems: 300 } }], input, { pageSize: 250 })
    expect(flow.result.status).toBe('succeeded')
    const out = await flow.output('sort')
    const expected = Array.from({ length: 2500 }, (_, i) => ({ i, k: (i * 7) % 20 })).sort((a, b) => a.k - b.k || a.i - b.i)
    expect(out).toEqual(expected)
    const after = (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith('auterity-sort-') && !before.has(n))
    expect(after).toEqual([])
  })

  it('keeps Infinity, dates, text and objects in their order through a spilled run', async () => {
    const input = [{ v: 'Infinity' }, { v: '-Infinity' }, { v: { a: 1 } }, { v: 'pear' }, { v: '2024-01-01' }, { v: 3 }, {}, { v: false }, { v: 'apple' }, { v: 1e9 }, { v: 2 }, { v: '2023-12-31' }]
    const memory = await sort([{ field: 'v' }], input)
    const spilled = await runFlow([{ id: 'sort', type: 'sort', params: { sortBy: [{ field: 'v' }], inMemoryItems: 10 } }], numbered(12, 4, (i) => input[i]!), { pageSize: 4 })
    expect(await spilled.output('sort')).toEqual(memory.out)
    expect(memory.out.slice(0, 5).map((x) => x.v)).toEqual(['-Infinity', 2, 3, 1e9, 'Infinity'])
  })

  it('sorts 1,000,000 items with 100,000 in memory at a time, checked in order as they are stored', async () => {
    let count = 0
    let last = -Infinity
    let ordered = true
    const store = new (class extends DiscardingStore {
      override async append(nodeId: string, port: string, items: Item[]) {
        if (nodeId === 'sort') {
          for (const item of items) {
            if ((item.k as number) < last) ordered = false
            last = item.k as number
            count++
          }
        }
        return super.append(nodeId, port, items)
      }
    })()
    const flow = await runFlow(
      [{ id: 'sort', type: 'sort', params: { sortBy: [{ field: 'k' }] } }],
      numbered(1_000_000, 1000, (i) => ({ k: (i * 7919) % 1_000_003 })),
      { store, pageSize: 1000 },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(flow.result.steps.sort?.outputCounts).toEqual({ main: 1_000_000 })
    expect(count).toBe(1_000_000)
    expect(ordered).toBe(true)
  }, 120_000)

  it('refuses a reserved name in the step', async () => {
    expect((await sort([{ field: 'a' }, { field: 'constructor' }], [{ a: 1 }])).flow.result.error).toMatchObject({ code: 'RESERVED_KEY', field: 'sortBy.1.field' })
  })

  it.each([
    [{}, ['sortBy']],
    [{ sortBy: [] }, ['sortBy']],
    [{ sortBy: [{ field: '' }] }, ['sortBy', 0, 'field']],
    [{ sortBy: [{ field: 'a', order: 'up' }] }, ['sortBy', 0, 'order']],
  ])('refuses %j naming the field', (params, path) => {
    expect(sortNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})
