import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { splitOutNode } from './definition'

const order = { order: 7, customer: { name: 'Ann' }, lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] }

async function split(params: Record<string, unknown>, input: Record<string, unknown>[] = [order]) {
  const flow = await runFlow([{ id: 'split', type: 'split-out', params }], input)
  return { flow, out: await flow.output('split') }
}

describe('split-out node', () => {
  it.each([
    [{ field: 'lines' }, [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }]],
    [{ field: 'lines', include: 'allOtherFields' }, [{ order: 7, customer: { name: 'Ann' }, sku: 'A', qty: 1 }, { order: 7, customer: { name: 'Ann' }, sku: 'B', qty: 2 }]],
    [{ field: 'lines', destination: 'line' }, [{ line: { sku: 'A', qty: 1 } }, { line: { sku: 'B', qty: 2 } }]],
    [{ field: 'lines', include: 'allOtherFields', destination: 'x.line' }, [
      { order: 7, customer: { name: 'Ann' }, x: { line: { sku: 'A', qty: 1 } } },
      { order: 7, customer: { name: 'Ann' }, x: { line: { sku: 'B', qty: 2 } } },
    ]],
  ])('%j', async (params, expected) => {
    const { flow, out } = await split(params)
    expect(flow.result.status).toBe('succeeded')
    expect(out).toEqual(expected)
  })

  it('puts other elements in a field named like the list, and splits a nested list', async () => {
    const { out } = await split({ field: 'data.tags', include: 'allOtherFields' }, [{ id: 1, data: { tags: ['a', 'b'], keep: true } }])
    expect(out).toEqual([
      { id: 1, data: { keep: true }, tags: 'a' },
      { id: 1, data: { keep: true }, tags: 'b' },
    ])
  })

  it('new items do not share what a later node changes', async () => {
    const flow = await runFlow(
      [
        { id: 'split', type: 'split-out', params: { field: 'lines', include: 'allOtherFields', destination: 'line' } },
        { id: 'set', type: 'set', params: { fields: [{ name: 'customer.tag', value: '{{ $json.line.sku }}' }] } },
      ],
      [order],
    )
    expect((await flow.output('set')).map((x) => x.customer)).toEqual([{ name: 'Ann', tag: 'A' }, { name: 'Ann', tag: 'B' }])
  })

  it('skips items without the list and keeps going', async () => {
    const { out } = await split({ field: 'lines' }, [{ id: 1 }, { lines: null }, { lines: [] }, { lines: [{ n: 1 }] }])
    expect(out).toEqual([{ n: 1 }])
  })

  it('splits 2,500 items page by page', async () => {
    const flow = await runFlow(
      [{ id: 'split', type: 'split-out', params: { field: 'pair', include: 'allOtherFields', destination: 'side' } }],
      numbered(2500, 1000, (i) => ({ i, pair: ['l', 'r'] })),
      { pageSize: 1000 },
    )
    const out = await flow.output('split')
    expect(out).toHaveLength(5000)
    expect(out.slice(0, 2)).toEqual([{ i: 0, side: 'l' }, { i: 0, side: 'r' }])
    expect(out.at(-1)).toEqual({ i: 2499, side: 'r' })
    expect(flow.calls('split-out')).toBe(3)
    expect(flow.largestPage('split-out')).toBe(1000)
  })

  it('fails naming the item when the field is not a list', async () => {
    const flow = await runFlow([{ id: 'split', type: 'split-out', params: { field: 'lines' } }], numbered(1500, 1000, (i) => ({ lines: i === 1234 ? 'oops' : [] })), { pageSize: 1000 })
    expect(flow.result.error).toMatchObject({ code: 'INVALID_VALUE', field: 'field', message: '"lines" on item 1234 is a string, not a list', details: { item: 1234 } })
  })

  it.each([
    [{ field: '__proto__' }, 'field'],
    [{ field: 'lines', destination: 'a.constructor' }, 'destination'],
  ])('refuses reserved names (%j)', async (params, field) => {
    const { flow } = await split(params)
    expect(flow.result.error).toMatchObject({ code: 'RESERVED_KEY', field })
    expect(({} as Record<string, unknown>).sku).toBeUndefined()
  })

  it('refuses a missing field naming it', () => {
    expect(splitOutNode.params.safeParse({ field: ' ' }).error?.issues[0].path).toEqual(['field'])
  })
})
