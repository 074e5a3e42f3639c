import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

describe('no-op node', () => {
  it('passes its items on unchanged', async () => {
    const flow = await runFlow([{ id: 'noop', type: 'no-op' }], [{ id: 1 }, { id: 2, nested: { a: [1] } }])
    expect(flow.result.status).toBe('succeeded')
    expect(await flow.output('noop')).toEqual([{ id: 1 }, { id: 2, nested: { a: [1] } }])
  })

  it('works page by page', async () => {
    const flow = await runFlow([{ id: 'noop', type: 'no-op' }], numbered(2500), { pageSize: 1000 })
    expect((await flow.output('noop')).map((x) => x.i)).toEqual(Array.from({ length: 2500 }, (_, i) => i))
    expect(flow.calls('no-op')).toBe(3)
    expect(flow.largestPage('no-op')).toBe(1000)
  })
})
