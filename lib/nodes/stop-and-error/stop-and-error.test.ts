import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { stopAndErrorNode } from './definition'

describe('stop-and-error node', () => {
  it('fails the run with the message resolved against the first item and the code given, without retrying', async () => {
    const flow = await runFlow(
      [{ id: 'stop', type: 'stop-and-error', params: { message: 'Order {{ $json.id }} has no customer', code: 'ORDER_INVALID' }, settings: { maxAttempts: 3 } }],
      [{ id: 7 }, { id: 8 }],
    )
    expect(flow.result.status).toBe('failed')
    expect(flow.result.error).toMatchObject({ message: 'Order 7 has no customer', code: 'ORDER_INVALID', retryable: false, nodeId: 'stop' })
    expect(flow.result.steps.stop.attempts).toBe(1)
    expect(flow.calls('stop-and-error')).toBe(1)
  })

  it('uses the code STOPPED when none is given, and stops at the first page of a big input', async () => {
    const flow = await runFlow([{ id: 'stop', type: 'stop-and-error', params: { message: 'stop here' } }], numbered(2500), { pageSize: 1000 })
    expect(flow.result.error).toMatchObject({ message: 'stop here', code: 'STOPPED' })
    expect(flow.calls('stop-and-error')).toBe(1)
  })

  it('does nothing on a branch that receives no items', async () => {
    const flow = await runFlow(
      [
        { id: 'check', type: 'if', params: { conditions: [{ left: '{{ $json.ok }}', operator: 'isFalse' }] } },
        { id: 'stop', type: 'stop-and-error', params: { message: 'bad item' } },
        { id: 'done', type: 'no-op' },
      ],
      [{ ok: true }],
      { edges: [['start', 'check'], ['check', 'stop', 'true'], ['check', 'done', 'false']] },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(flow.result.steps.stop.status).toBe('skipped')
    expect(await flow.output('done')).toEqual([{ ok: true }])
  })

  it.each([
    [{}, 'message'],
    [{ message: '   ' }, 'message'],
    [{ message: 'x', code: '9 lives' }, 'code'],
  ])('refuses params %j naming %s', (params, field) => {
    const result = stopAndErrorNode.params.safeParse(params)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0].path[0]).toBe(field)
  })

  it('fails the step naming the field when an expression resolves to an empty message', async () => {
    const flow = await runFlow([{ id: 'stop', type: 'stop-and-error', params: { message: '{{ $json.reason }}' } }], [{ id: 1 }])
    expect(flow.result.error).toMatchObject({ code: 'INVALID_PARAMS', field: 'message' })
  })
})
