import { describe, expect, it } from 'vitest'
import { describeParams, type JsonSchema } from '@/lib/forms/schema'
import { catalogueEntry } from '@/lib/nodes/catalogue'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { summarizeNode } from './definition'

const orders = [
  { customer: 'Ann', country: 'DE', total: 10, sku: 'A', at: '2024-05-02' },
  { customer: 'Bob', country: 'FR', total: '5', sku: 'B', at: '2024-05-01' },
  { customer: 'Ann', country: 'DE', total: 20, sku: 'A', at: '2024-04-30' },
  { customer: 'Ann', country: 'DE', total: 30, sku: 'C', at: null },
]

async function summarize(params: Record<string, unknown>, input: Record<string, unknown>[] = orders) {
  const flow = await runFlow([{ id: 'sum', type: 'summarize', params }], input)
  return { flow, out: await flow.output('sum') }
}

describe('summarize node', () => {
  it('groups and computes every operation, groups in order of first appearance', async () => {
    const { flow, out } = await summarize({
      groupBy: ['customer'],
      aggregations: [
        { operation: 'count' },
        { operation: 'countUnique', field: 'sku' },
        { operation: 'sum', field: 'total' },
        { operation: 'average', field: 'total', outputName: 'avg' },
        { operation: 'min', field: 'at' },
        { operation: 'max', field: 'total' },
        { operation: 'concatenate', field: 'sku', separator: '|' },
      ],
    })
    expect(flow.result.status).toBe('succeeded')
    expect(out).toEqual([
      { customer: 'Ann', count: 3, countUnique_sku: 2, sum_total: 60, avg: 20, min_at: '2024-04-30', max_total: 30, concatenate_sku: 'A|A|C' },
      { customer: 'Bob', count: 1, countUnique_sku: 1, sum_total: 5, avg: 5, min_at: '2024-05-01', max_total: '5', concatenate_sku: 'B' },
    ])
  })

  it('counts items by default, summarises everything without groupBy, and nests a nested group field', async () => {
    expect((await summarize({})).out).toEqual([{ count: 4 }])
    const { out } = await summarize({ groupBy: ['who.country'] }, [{ who: { country: 'DE' } }, { who: { country: 'DE' } }, {}])
    expect(out).toEqual([{ who: { country: 'DE' }, count: 2 }, { who: { country: null }, count: 1 }])
  })

  it('keeps 42 and "42" apart and counts only present values for count of a field', async () => {
    const { out } = await summarize({ groupBy: ['k'], aggregations: [{ operation: 'count', field: 'v' }] }, [{ k: 42, v: 1 }, { k: '42', v: null }, { k: 42 }])
    expect(out).toEqual([{ k: 42, count_v: 1 }, { k: '42', count_v: 0 }])
  })

  it('outputs one summary with zeros when no items reach it', async () => {
    const flow = await runFlow(
      [
        { id: 'none', type: 'filter', params: { conditions: [{ left: '{{ $json.missing }}', operator: 'exists' }] } },
        { id: 'sum', type: 'summarize', params: { aggregations: [{ operation: 'count' }, { operation: 'sum', field: 'x' }, { operation: 'average', field: 'x' }] } },
      ],
      [{ x: 1 }],
    )
    expect(await flow.output('sum')).toEqual([{ count: 0, sum_x: 0, average_x: null }])
  })

  it('summarises 2,500 items page by page and outputs the groups once, after the last page', async () => {
    const flow = await runFlow(
      [{ id: 'sum', type: 'summarize', params: { groupBy: ['g'], aggregations: [{ operation: 'count' }, { operation: 'sum', field: 'i' }, { operation: 'max', field: 'i' }] } }],
      numbered(2500, 1000, (i) => ({ i, g: i % 3 })),
      { pageSize: 1000 },
    )
    const sum = (g: number) => Array.from({ length: 2500 }, (_, i) => i).filter((i) => i % 3 === g).reduce((a, b) => a + b, 0)
    expect(await flow.output('sum')).toEqual([
      { g: 0, count: 834, sum_i: sum(0), max_i: 2499 },
      { g: 1, count: 833, sum_i: sum(1), max_i: 2497 },
      { g: 2, count: 833, sum_i: sum(2), max_i: 2498 },
    ])
    expect(flow.calls('summarize')).toBe(3)
    expect(flow.largestPage('summarize')).toBe(1000)
  })

  it.each([
    [{ aggregations: [{ operation: 'sum', field: 'v' }] }, [{ v: 1 }, { v: 'abc' }], 'aggregations.0.field', 'sum of "v" on item 1: "abc" is not a number'],
    [{ aggregations: [{ operation: 'max', field: 'v' }] }, [{ v: 1 }, { v: { a: 1 } }], 'aggregations.0.field', 'max of "v" on item 1: {"a":1} cannot be ordered against 1'],
  ])('fails naming the field and the item (%j)', async (params, input, field, message) => {
    const { flow } = await summarize(params, input)
    expect(flow.result.error).toMatchObject({ code: 'INVALID_VALUE', field, message, retryable: false })
  })

  it.each([
    [{ groupBy: ['__proto__'] }, 'groupBy.0'],
    [{ aggregations: [{ operation: 'sum', field: 'a.constructor' }] }, 'aggregations.0.field'],
    [{ aggregations: [{ operation: 'count', outputName: 'prototype' }] }, 'aggregations.0.outputName'],
  ])('refuses reserved names (%j)', async (params, field) => {
    const { flow } = await summarize(params)
    expect(flow.result.error).toMatchObject({ code: 'RESERVED_KEY', field })
  })

  it.each([
    [{ groupBy: [''] }, ['groupBy', 0]],
    [{ aggregations: [{ operation: 'median' }] }, ['aggregations', 0, 'operation']],
  ])('refuses %j naming the field', (params, path) => {
    expect(summarizeNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })

  it('shows the concatenate separator only for concatenate', () => {
    const list = describeParams(catalogueEntry(summarizeNode).params as JsonSchema).find((f) => f.key === 'aggregations')
    expect(list?.item?.children?.find((f) => f.key === 'separator')?.showIf).toEqual({ operation: ['concatenate'] })
  })
})
