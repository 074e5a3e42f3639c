import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { limitNode } from './definition'

const ids = async (flow: Awaited<ReturnType<typeof runFlow>>) => (await flow.output('limit')).map((x) => x.i)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)

describe('limit node', () => {
  it.each([
    ['first', 2, [0, 1]],
    ['last', 2, [3, 4]],
    ['first', 9, [0, 1, 2, 3, 4]],
    ['last', 9, [0, 1, 2, 3, 4]],
    ['first', 0, []],
  ] as const)('keep %s %i of 5 items', async (keep, maxItems, expected) => {
    const flow = await runFlow([{ id: 'limit', type: 'limit', params: { keep, maxItems } }], range(0, 5).map((i) => ({ i })))
    expect(flow.result.status).toBe('succeeded')
    expect(await ids(flow)).toEqual(expected)
  })

  it.each([
    ['first', 1500, range(0, 1500)],
    ['last', 1500, range(1000, 2500)],
    ['first', 10, range(0, 10)],
    ['last', 10, range(2490, 2500)],
  ] as const)('keep %s %i of 2,500 items across pages of 1,000', async (keep, maxItems, expected) => {
    const flow = await runFlow([{ id: 'limit', type: 'limit', params: { keep, maxItems } }], numbered(2500), { pageSize: 1000 })
    expect(await ids(flow)).toEqual(expected)
    expect(flow.calls('limit')).toBe(3)
    expect(flow.largestPage('limit')).toBe(1000)
  })

  it('counts from where a second edge into it starts', async () => {
    const flow = await runFlow(
      [
        { id: 'a', type: 'no-op' },
        { id: 'b', type: 'no-op' },
        { id: 'limit', type: 'limit', params: { keep: 'last', maxItems: 3 } },
      ],
      [{ i: 1 }, { i: 2 }],
      { edges: [['start', 'a'], ['start', 'b'], ['a', 'limit'], ['b', 'limit']], pageSize: 1 },
    )
    expect(await ids(flow)).toEqual([2, 1, 2])
  })

  it.each([
    [{ maxItems: -1 }, ['maxItems']],
    [{ maxItems: 2.5 }, ['maxItems']],
    [{ maxItems: 'ten' }, ['maxItems']],
    [{ keep: 'middle' }, ['keep']],
  ])('refuses %j naming the field', (params, path) => {
    expect(limitNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})
