import { describe, expect, it } from 'vitest'
import { mergeNode } from '@/lib/nodes/merge/definition'
import { runNode } from './harness'

const customers = [{ id: 1, name: 'Ann' }, { id: 2, name: 'Bo' }, { id: 3, name: 'Cy' }]
const orders = [{ customerId: '1', total: 10 }, { customerId: 1, total: 20 }, { customerId: 9, total: 5 }, { total: 1 }]

const merge = (params: Record<string, unknown>, inputs: Record<string, Record<string, unknown>[]>) =>
  runNode(mergeNode, { params, inputs }).then((r) => r.output.main)

describe('merge node', () => {
  it('has four static inputs', () => {
    expect(mergeNode.inputs.map((p) => p.name)).toEqual(['input1', 'input2', 'input3', 'input4'])
  })

  it('appends connected inputs in order and ignores unconnected ones', async () => {
    expect(await merge({}, { input1: [{ a: 1 }], input3: [{ c: 3 }], input2: [{ b: 2 }] })).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }])
  })

  it.each([
    ['inner', [{ id: 1, name: 'Ann', customerId: '1', total: 10 }, { id: 1, name: 'Ann', customerId: 1, total: 20 }]],
    ['left', [{ id: 1, name: 'Ann', customerId: '1', total: 10 }, { id: 1, name: 'Ann', customerId: 1, total: 20 }, customers[1], customers[2]]],
    [
      'outer',
      [
        { id: 1, name: 'Ann', customerId: '1', total: 10 },
        { id: 1, name: 'Ann', customerId: 1, total: 20 },
        customers[1],
        customers[2],
        orders[2],
        orders[3],
      ],
    ],
  ])('byKey %s join (numbers and numeric text match)', async (joinKind, expected) => {
    expect(await merge({ mode: 'byKey', joinKind, field1: 'id', field2: 'customerId' }, { input1: customers, input2: orders })).toEqual(expected)
  })

  it.each([
    ['input2', 'B'],
    ['input1', 'A'],
  ])('byKey: %s wins on clashing fields', async (preferOnClash, name) => {
    const [item] = await merge({ mode: 'byKey', preferOnClash }, { input1: [{ id: 1, name: 'A' }], input2: [{ id: 1, name: 'B' }] })
    expect(item.name).toBe(name)
  })

  it('byKey joins on nested paths', async () => {
    const out = await merge({ mode: 'byKey', field1: 'ref.id', field2: 'id' }, { input1: [{ ref: { id: 'x' } }], input2: [{ id: 'x', v: 1 }] })
    expect(out).toEqual([{ ref: { id: 'x' }, id: 'x', v: 1 }])
  })

  it('byKey needs a field', async () => {
    await expect(merge({ mode: 'byKey', field1: ' ' }, { input1: [], input2: [] })).rejects.toMatchObject({ field: 'field1' })
  })

  it.each([
    ['input1', [{ a: 1 }]],
    ['input2', [{ b: 2 }]],
    ['input4', []],
  ])('waitForAll outputs %s', async (output, expected) => {
    expect(await merge({ mode: 'waitForAll', output }, { input1: [{ a: 1 }], input2: [{ b: 2 }] })).toEqual(expected)
  })
})
