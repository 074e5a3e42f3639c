import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { loopOverItemsNode } from './definition'

const range = (n: number) => Array.from({ length: n }, (_, i) => ({ i }))
const tag = { id: 'tag', type: 'set', params: { fields: [{ name: 'seen', value: true }] } }
/** start → loop; loop.loop → tag → loop; loop.done → after */
const looped = (params: Record<string, unknown>) =>
  [[{ id: 'loop', type: 'loop-over-items', params }, tag, { id: 'after', type: 'no-op' }], { edges: [['start', 'loop'], ['loop', 'tag', 'loop'], ['tag', 'loop'], ['loop', 'after', 'done']] as [string, string, string?][] }] as const

describe('loop over items node', () => {
  it.each([
    [10, 3, 4, 3],
    [10, 1, 10, 1],
    [10, 10, 1, 10],
    [10, 25, 1, 10],
    [1, 1, 1, 1],
  ])('%i items in batches of %i: %i iterations of at most %i items, done has every item in order', async (count, batchSize, iterations, largest) => {
    const [nodes, opts] = looped({ batchSize })
    const flow = await runFlow([...nodes], range(count), opts)
    expect(flow.result.status).toBe('succeeded')
    expect(flow.calls('loop-over-items')).toBe(iterations)
    expect(flow.calls('set')).toBe(iterations)
    expect(flow.largestPage('set')).toBe(largest)
    expect(await flow.output('after')).toEqual(range(count).map((x) => ({ ...x, seen: true })))
    expect(flow.result.steps.loop).toMatchObject({ status: 'succeeded', iterations, outputCounts: { done: count } })
    expect(flow.result.steps.tag).toMatchObject({ iterations, attempts: iterations })
  })

  it('reads a big input page by page: 2,500 items in batches of 1,000, the body never sees more than a batch', async () => {
    const [nodes, opts] = looped({ batchSize: 1000 })
    const flow = await runFlow([...nodes], numbered(2500), { ...opts, pageSize: 1000 })
    expect(flow.calls('set')).toBe(3)
    expect(flow.largestPage('set')).toBe(1000)
    expect((await flow.output('loop', 'done')).map((x) => x.i)).toEqual(range(2500).map((x) => x.i))
    // The done port is written in whole pages: the node after it runs once per page, as after any step.
    expect(flow.calls('no-op')).toBe(3)
  })

  it('only what comes back reaches done: an If in the body sends the odd items nowhere', async () => {
    const flow = await runFlow(
      [
        { id: 'loop', type: 'loop-over-items', params: { batchSize: 2 } },
        { id: 'if', type: 'if', params: { conditions: [{ left: '{{ $json.even }}', operator: 'isTrue' }] } },
        { id: 'after', type: 'no-op' },
      ],
      range(5).map(({ i }) => ({ i, even: i % 2 === 0 })),
      { edges: [['start', 'loop'], ['loop', 'if', 'loop'], ['if', 'loop', 'true'], ['loop', 'after', 'done']] },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(flow.calls('if')).toBe(3)
    expect((await flow.output('after')).map((x) => x.i)).toEqual([0, 2, 4])
  })

  it('fails with LOOP_LIMIT naming the node and its cap when the input needs more iterations', async () => {
    const [nodes, opts] = looped({ batchSize: 2, maxIterations: 4 })
    const flow = await runFlow([...nodes], range(9), opts)
    expect(flow.result.status).toBe('failed')
    expect(flow.result.error).toMatchObject({ code: 'LOOP_LIMIT', nodeId: 'loop' })
    expect(flow.result.error?.message).toMatch(/Loop "loop" would run 5 iterations \(9 items in batches of 2\), more than 4, its maxIterations parameter/)
    expect(flow.calls('set')).toBe(0)
  })

  it.each([
    [{ batchSize: 0 }, ['batchSize']],
    [{ batchSize: 1.5 }, ['batchSize']],
    [{ batchSize: 'ten' }, ['batchSize']],
    [{ maxIterations: 0 }, ['maxIterations']],
  ])('refuses %j naming the field', (params, path) => {
    expect(loopOverItemsNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })

  it('reports a bad batch size at run time as INVALID_PARAMS naming the field', async () => {
    const [nodes, opts] = looped({ batchSize: '{{ $json.size }}' })
    const flow = await runFlow([...nodes], [{ size: -1 }], opts)
    expect(flow.result.error).toMatchObject({ code: 'INVALID_PARAMS', field: 'batchSize', nodeId: 'loop' })
  })

  it('runs page-reading nodes in its body once per batch: Merge (stream mode) pairs each batch with items from before the loop', async () => {
    const cut = { id: 'cut', type: 'limit', params: { maxItems: 2 } }
    const side = { id: 'side', type: 'set', params: { fields: [{ name: 'x', value: 'side' }], keepOtherFields: false } }
    const merge = { id: 'merge', type: 'merge', params: { mode: 'byPosition' } }
    const flow = await runFlow(
      [cut, side, { id: 'loop', type: 'loop-over-items', params: { batchSize: 2 } }, merge, { id: 'after', type: 'no-op' }],
      range(4),
      {
        edges: [['start', 'cut'], ['cut', 'side'], ['start', 'loop'], ['loop', 'merge', 'loop', 'input1'], ['side', 'merge', 'main', 'input2'], ['merge', 'loop'], ['loop', 'after', 'done']],
      },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(flow.calls('merge')).toBe(2)
    expect(await flow.output('after')).toEqual(range(4).map((x) => ({ ...x, x: 'side' })))
  })
})
