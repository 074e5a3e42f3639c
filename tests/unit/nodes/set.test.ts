import { describe, expect, it } from 'vitest'
import { setNode } from '@/lib/nodes/set/definition'
import { runNode } from './harness'

const run = (params: Record<string, unknown>, items: Record<string, unknown>[] = [{ id: 1, name: 'Ann' }]) => runNode(setNode, { params, items }).then((r) => r.output.main)

describe('set node', () => {
  it.each([
    ['auto keeps the resolved value', { value: 42, type: 'auto' }, 42],
    ['auto keeps text', { value: '007', type: 'auto' }, '007'],
    ['string', { value: 42, type: 'string' }, '42'],
    ['string of an object', { value: { a: 1 }, type: 'string' }, '{"a":1}'],
    ['number', { value: ' 3.5 ', type: 'number' }, 3.5],
    ['boolean from "yes"', { value: 'yes', type: 'boolean' }, true],
    ['boolean from "0"', { value: '0', type: 'boolean' }, false],
    ['json text', { value: '{"a":[1,2]}', type: 'json' }, { a: [1, 2] }],
    ['json value', { value: [1], type: 'json' }, [1]],
  ])('%s', async (_name, field, expected) => {
    const [item] = await run({ fields: [{ name: 'out', ...field }] })
    expect(item.out).toEqual(expected)
  })

  it('sets nested paths and keeps other fields by default', async () => {
    const [item] = await run({ fields: [{ name: 'address.city', value: 'Oslo' }, { name: 'tags[1]', value: 'b' }] })
    expect(item).toEqual({ id: 1, name: 'Ann', address: { city: 'Oslo' }, tags: [undefined, 'b'] })
  })

  it('outputs only the listed fields when keepOtherFields is off', async () => {
    expect(await run({ keepOtherFields: false, fields: [{ name: 'x', value: 1 }] })).toEqual([{ x: 1 }])
  })

  it('does not modify its input items', async () => {
    const items = [{ a: { b: 1 } }]
    await run({ fields: [{ name: 'a.b', value: 2 }] }, items)
    expect(items).toEqual([{ a: { b: 1 } }])
  })

  it('resolves params per item', async () => {
    const { output } = await runNode(setNode, {
      items: [{ n: 1 }, { n: 2 }],
      paramsFor: (item) => ({ fields: [{ name: 'double', value: (item.n as number) * 2 }] }),
    })
    expect(output.main.map((i) => i.double)).toEqual([2, 4])
  })

  it.each([
    [{ value: 'abc', type: 'number' }, /Field "out" on item 0: "abc" is not a number/],
    [{ value: 'maybe', type: 'boolean' }, /is not a boolean/],
    [{ value: '{x', type: 'json' }, /not valid JSON/],
  ])('names the field and item when %j cannot be converted', async (field, message) => {
    await expect(run({ fields: [{ name: 'out', ...field }] })).rejects.toMatchObject({ code: 'INVALID_VALUE', message: expect.stringMatching(message) })
  })

  it.each([['__proto__.polluted'], ['a.constructor.prototype']])('refuses the reserved path %s', async (name) => {
    await expect(run({ fields: [{ name, value: 1 }] })).rejects.toMatchObject({ code: 'RESERVED_KEY', field: 'fields' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
