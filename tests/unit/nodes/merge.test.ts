import { describe, expect, it } from 'vitest'
import { mergeNode } from '@/lib/nodes/merge/definition'
import { numbered, runFlow } from './flow'
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

  describe('page by page, from a Switch that routes 35 orders and 7 customers', () => {
    // Orders 0–34 name customers 2–10; customers 0–6 exist, so orders for 7–10 and customers 0 and 1 find no partner.
    const make = (i: number) => (i < 35 ? { kind: 'order', order: i, customer: (i % 9) + 2 } : { kind: 'customer', id: i - 35, name: `c${i - 35}` })
    const route = { id: 'route', type: 'switch', params: { matching: 'firstMatch', rules: ['order', 'customer'].map((kind) => ({ left: '{{ $json.kind }}', operator: 'equals', right: kind })) } }
    const flow = async (params: Record<string, unknown>, pageSize: number, swap = false) => {
      const run = await runFlow([route, { id: 'merge', type: 'merge', params }], numbered(42, 10, make), {
        pageSize,
        edges: [['start', 'route'], ['route', 'merge', 'out0', swap ? 'input2' : 'input1'], ['route', 'merge', 'out1', swap ? 'input1' : 'input2']],
      })
      return { run, out: await run.output('merge') }
    }

    it.each<[string, Record<string, unknown>, number]>([
      ['append', { mode: 'append' }, 42],
      ['waitForAll input2', { mode: 'waitForAll', output: 'input2' }, 7],
      ['byPosition', { mode: 'byPosition' }, 7],
      ['byPosition with unpaired items', { mode: 'byPosition', includeUnpaired: true }, 35],
      ['byKey inner', { mode: 'byKey', field1: 'customer', field2: 'id' }, 20],
      ['byKey left', { mode: 'byKey', field1: 'customer', field2: 'id', joinKind: 'left' }, 35],
      ['byKey outer', { mode: 'byKey', field1: 'customer', field2: 'id', joinKind: 'outer' }, 37],
    ])('%s gives the same items in pages of 3 as all at once', async (_name, params, count) => {
      const paged = await flow(params, 3)
      const whole = await flow(params, 1000)
      expect(paged.run.result.status).toBe('succeeded')
      expect(paged.run.calls('merge')).toBe(1)
      expect(paged.out).toHaveLength(count)
      expect(paged.out).toEqual(whole.out)
    })

    it('byPosition pairs item n with item n', async () => {
      const { out } = await flow({ mode: 'byPosition', includeUnpaired: true }, 3)
      expect(out[0]).toEqual({ kind: 'customer', order: 0, customer: 2, id: 0, name: 'c0' })
      expect(out[6]).toMatchObject({ order: 6, id: 6 })
      expect(out[7]).toEqual(make(7))
    })

    it('byKey follows input1 and appends unmatched input2 items when input2 is held', async () => {
      const { out } = await flow({ mode: 'byKey', field1: 'customer', field2: 'id', joinKind: 'outer' }, 3)
      expect(out.slice(0, 3)).toEqual([{ ...make(0), ...make(37) }, { ...make(1), ...make(38) }, { ...make(2), ...make(39) }])
      expect(out.slice(-2)).toEqual([make(35), make(36)])
    })

    it('byKey holds input1 when only it fits: output in input2 order, unmatched input1 items last', async () => {
      // Customers on input1 (7 items, under the cap of 10), orders on input2 (35, over it).
      const { run, out } = await flow({ mode: 'byKey', field1: 'id', field2: 'customer', joinKind: 'left', maxIndexedItems: 10 }, 3, true)
      expect(run.result.status).toBe('succeeded')
      expect(out.map((o) => [o.order, o.id])).toEqual([
        ...Array.from({ length: 35 }, (_, i) => i).filter((i) => i % 9 <= 4).map((i) => [i, (i % 9) + 2]),
        [undefined, 0],
        [undefined, 1],
      ])
    })

    it('byKey refuses to hold an input over maxIndexedItems, naming the param', async () => {
      const { run } = await flow({ mode: 'byKey', field1: 'customer', field2: 'id', maxIndexedItems: 5 }, 3)
      expect(run.result.status).toBe('failed')
      expect(run.result.error).toMatchObject({ code: 'MERGE_INPUT_TOO_LARGE', field: 'maxIndexedItems', details: { input1: 35, input2: 7, maxIndexedItems: 5 } })
    })
  })
})
