import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { loopOverItemsNode } from './definition'

const range = (n: number) => Array.from({ length: n }, (_, i) => ({ i }))

describe('loop over items node', () => {
  it('runs its body once per batch and outputs every returned item on done, in order', async () => {
    const flow = await runFlow(
      [
        { id: 'loop', type: 'loop-over-items', params: { batchSize: 3 } },
        { id: 'tag', type: 'set', params: { fields: [{ name: 'seen', value: true }] } },
        { id: 'after', type: 'no-op' },
      ],
      range(10),
      { edges: [['start', 'loop'], ['loop', 'tag', 'loop'], ['tag', 'loop'], ['loop', 'after', 'done']] },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(flow.calls('loop-over-items')).toBe(4)
    expect(flow.calls('set')).toBe(4)
    expect(flow.largestPage('set')).toBe(3)
    expect(flow.calls('no-op')).toBe(1)
    expect(await flow.output('after')).toEqual(range(10).map((x) => ({ ...x, seen: true })))
    expect(flow.result.steps.loop).toMatchObject({ status: 'succeeded', iterations: 4, outputCounts: { done: 10 } })
    expect(flow.result.steps.tag).toMatchObject({ status: 'succeeded', iterations: 4, attempts: 4, outputCounts: { main: 1 } })
  })
})
