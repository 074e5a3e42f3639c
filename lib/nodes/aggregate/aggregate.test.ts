import { describe, expect, it } from 'vitest'
import { describeParams, type JsonSchema } from '@/lib/forms/schema'
import { catalogueEntry } from '@/lib/nodes/catalogue'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { aggregateNode } from './definition'

const orders = [
  { email: 'a@x.io', customer: { id: 1 } },
  { email: 'b@x.io', customer: { id: 2 } },
  { customer: { id: 1 } },
]

async function aggregate(params: Record<string, unknown>, input: Record<string, unknown>[] = orders) {
  const flow = await runFlow([{ id: 'agg', type: 'aggregate', params }], input)
  return { flow, out: await flow.output('agg') }
}

describe('aggregate node', () => {
  it.each([
    [{ fields: [{ field: 'email' }, { field: 'customer.id', outputName: 'customerIds' }] }, { email: ['a@x.io', 'b@x.io'], customerIds: [1, 2, 1] }],
    [{ fields: [{ field: 'email' }, { field: 'customer.id' }], keepMissing: true }, { email: ['a@x.io', 'b@x.io', null], id: [1, 2, 1] }],
    [{ aggregate: 'allItemData' }, { data: orders }],
    [{ aggregate: 'allItemData', destination: 'batch.orders' }, { batch: { orders } }],
  ])('%j', async (params, expected) => {
    const { flow, out } = await aggregate(params)
    expect(flow.result.status).toBe('succeeded')
    expect(out).toEqual([expected])
  })

  it('outputs one item of empty lists when no items reach it', async () => {
    const flow = await runFlow(
      [
        { id: 'none', type: 'filter', params: { conditions: [{ left: '{{ $json.missing }}', operator: 'exists' }] } },
        { id: 'agg', type: 'aggregate', params: { fields: [{ field: 'email' }] } },
      ],
      orders,
    )
    expect(await flow.output('agg')).toEqual([{ email: [] }])
  })

  it('collects 2,500 items page by page into one item, in input order', async () => {
    const flow = await runFlow([{ id: 'agg', type: 'aggregate', params: { fields: [{ field: 'i' }] } }], numbered(2500), { pageSize: 1000 })
    expect(await flow.output('agg')).toEqual([{ i: Array.from({ length: 2500 }, (_, i) => i) }])
    expect(flow.calls('aggregate')).toBe(3)
    expect(flow.largestPage('aggregate')).toBe(1000)
  })

  it.each([
    [{ fields: [{ field: 'a.__proto__' }] }, 'fields.0.field'],
    [{ fields: [{ field: 'a', outputName: 'constructor' }] }, 'fields.0.outputName'],
    [{ aggregate: 'allItemData', destination: 'prototype' }, 'destination'],
  ])('refuses reserved names (%j)', async (params, field) => {
    const { flow } = await aggregate(params)
    expect(flow.result.error).toMatchObject({ code: 'RESERVED_KEY', field })
  })

  it.each([
    [{ fields: [{ field: '' }] }, ['fields', 0, 'field']],
    [{ aggregate: 'some' }, ['aggregate']],
    [{ destination: ' ' }, ['destination']],
  ])('refuses %j naming the field', (params, path) => {
    expect(aggregateNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})

describe('aggregate form', () => {
  it.each([
    ['fields', { aggregate: ['individualFields'] }],
    ['keepMissing', { aggregate: ['individualFields'] }],
    ['destination', { aggregate: ['allItemData'] }],
  ])('shows %s only when it applies', (key, showIf) => {
    expect(describeParams(catalogueEntry(aggregateNode).params as JsonSchema).find((f) => f.key === key)?.showIf).toEqual(showIf)
  })
})
