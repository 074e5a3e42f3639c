import { afterAll, describe, expect, it } from 'vitest'
import { createHostSandbox } from '@/lib/sandbox/host'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { filterNode, filterOutputs } from './definition'

// The worker's own sandbox: expressions (and so regex conditions) in process isolates, Code in child processes.
const sandbox = createHostSandbox({ concurrency: 2, processes: 1 })
afterAll(() => sandbox.dispose())

const orders = [
  { id: 1, status: 'paid', total: 120 },
  { id: 2, status: 'open', total: 80 },
  { id: 3, status: 'paid', total: 10 },
]
const paidAndBig = [
  { left: '{{ $json.status }}', operator: 'equals', right: 'paid' },
  { left: '{{ $json.total }}', operator: 'gte', right: 100 },
]

describe('filter node', () => {
  it.each([
    ['all', [1]],
    ['any', [1, 3]],
  ] as const)('combine %s keeps the matching items and drops the others', async (combine, ids) => {
    const flow = await runFlow([{ id: 'filter', type: 'filter', params: { conditions: paidAndBig, combine } }], orders)
    expect(flow.result.status).toBe('succeeded')
    expect((await flow.output('filter')).map((o) => o.id)).toEqual(ids)
    expect(flow.result.steps.filter.outputCounts).toEqual({ main: ids.length })
  })

  it('sends the items that fail to "discarded" when asked, and a node there runs on them', async () => {
    const flow = await runFlow(
      [
        { id: 'filter', type: 'filter', params: { conditions: paidAndBig, keepDiscarded: true } },
        { id: 'rest', type: 'no-op' },
      ],
      orders,
      { edges: [['start', 'filter'], ['filter', 'rest', 'discarded']] },
    )
    expect((await flow.output('filter')).map((o) => o.id)).toEqual([1])
    expect((await flow.output('rest')).map((o) => o.id)).toEqual([2, 3])
  })

  it('has the discarded output only when it is on', () => {
    expect(filterOutputs({}).map((p) => p.name)).toEqual(['main'])
    expect(filterOutputs({ keepDiscarded: true }).map((p) => p.name)).toEqual(['main', 'discarded'])
  })

  it('keeps everything when there are no conditions', async () => {
    const flow = await runFlow([{ id: 'filter', type: 'filter' }], orders)
    expect(await flow.output('filter')).toEqual(orders)
  })

  it('filters 2,500 items page by page, resolving expressions per item', async () => {
    const flow = await runFlow(
      [{ id: 'filter', type: 'filter', params: { conditions: [{ left: '{{ $json.i }}', operator: 'gte', right: 1200 }] } }],
      numbered(2500),
      { pageSize: 1000 },
    )
    const kept = await flow.output('filter')
    expect(kept).toHaveLength(1300)
    expect(kept[0]).toEqual({ i: 1200 })
    expect(kept.at(-1)).toEqual({ i: 2499 })
    expect(flow.calls('filter')).toBe(3)
    expect(flow.largestPage('filter')).toBe(1000)
  })

  it('stops a regex that backtracks forever with a clear step error; the event loop runs meanwhile and the sandbox answers afterwards', async () => {
    let ticks = 0
    const ticker = setInterval(() => ticks++, 20)
    const evil = await runFlow(
      [{ id: 'filter', type: 'filter', params: { conditions: [{ left: '{{ $json.s }}', operator: 'regex', right: '(a+)+$' }] } }],
      [{ s: `${'a'.repeat(36)}!` }],
      { sandbox },
    )
    expect(evil.result.status).toBe('failed')
    expect(evil.result.error).toMatchObject({
      code: 'INVALID_REGEX',
      field: 'conditions',
      retryable: false,
      message: expect.stringMatching(/^Regular expression \/\(a\+\)\+\$\/ failed: .*limit of 1000 ms/),
    })
    clearInterval(ticker)
    expect(ticks).toBeGreaterThan(1)

    const next = await runFlow(
      [{ id: 'filter', type: 'filter', params: { conditions: [{ left: '{{ $json.email }}', operator: 'regex', right: '/@example\\.com$/i' }] } }],
      [{ email: 'a@EXAMPLE.com' }, { email: 'b@other.org' }],
      { sandbox },
    )
    expect(next.result.status).toBe('succeeded')
    expect(await next.output('filter')).toEqual([{ email: 'a@EXAMPLE.com' }])
  })

  it('names a broken pattern', async () => {
    const flow = await runFlow([{ id: 'filter', type: 'filter', params: { conditions: [{ left: 'x', operator: 'regex', right: '(' }] } }], [{}], { sandbox })
    expect(flow.result.error).toMatchObject({ code: 'INVALID_REGEX', field: 'conditions', message: expect.stringContaining('/(/') })
  })

  it.each([
    [{ conditions: [{ left: 1, operator: 'almost' }] }, ['conditions', 0, 'operator']],
    [{ combine: 'most' }, ['combine']],
    [{ keepDiscarded: 'yes' }, ['keepDiscarded']],
  ])('refuses %j naming the field', (params, path) => {
    expect(filterNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})
