// What a batch node learns about its pages: where each sits in the whole input, and a digest shared by the
// pages of one attempt (fresh on a retry), so Limit, Summarize and Remove Duplicates need not read everything at once.
import { describe, expect, it } from 'vitest'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import { NodeError, type Item } from '@/lib/engine/types'
import { def, graph, type NodeSpec } from './builders'

async function* numbered(total: number, chunk: number): AsyncGenerator<Item[]> {
  for (let i = 0; i < total; i += chunk) yield Array.from({ length: Math.min(chunk, total - i) }, (_, k) => ({ i: i + k }))
}

function run(registry: ReturnType<typeof createRegistry>, nodes: (NodeSpec | string)[], edges: string[], input: Item[] | AsyncIterable<Item[]>) {
  return runWorkflow({
    graph: graph(['t:trigger', ...nodes], edges),
    registry,
    executionId: 'ex1',
    workflowId: 'wf1',
    tenantId: 't1',
    input,
    pageSize: 1000,
    services: {
      http: { request: async () => Promise.reject(new Error('no http')) },
      sandbox: { evaluateExpression: async () => undefined, runCode: async () => undefined },
      sleep: async () => {},
    },
    getCredential: async () => Promise.reject(new Error('no credentials')),
  })
}

describe('page position and page state', () => {
  it('tells each page of a batch node its offset and the whole input count; an all-input node gets offset 0', async () => {
    const seen: [string, number, number, number][] = []
    const record = (name: string) => async (ctx: { items: Item[]; inputOffset: number; inputCount: number }) => {
      seen.push([name, ctx.inputOffset, ctx.inputCount, ctx.items.length])
      return { main: ctx.items }
    }
    const registry = createRegistry([
      def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
      def('paged', record('paged'), { mode: 'batch' }),
      def('whole', record('whole')),
    ])
    const result = await run(registry, ['p:paged', 'w:whole'], ['t>p', 'p>w'], numbered(2500, 700))
    expect(result.status).toBe('succeeded')
    expect(seen).toEqual([
      ['paged', 0, 2500, 1000],
      ['paged', 1000, 2500, 1000],
      ['paged', 2000, 2500, 500],
      ['whole', 0, 2500, 2500],
    ])
  })

  it('shares page state between the pages of one attempt and starts it empty on a retry', async () => {
    const totals: number[] = []
    const registry = createRegistry([
      def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
      def(
        'total',
        async (ctx) => {
          const total = ((ctx.pageState.get('total') as number | undefined) ?? 0) + ctx.items.length
          ctx.pageState.set('total', total)
          if (ctx.attempt === 1 && ctx.inputOffset > 0) throw new NodeError('flaky', { retryable: true })
          if (ctx.inputOffset + ctx.items.length < ctx.inputCount) return { main: [] }
          totals.push(total)
          return { main: [{ total }] }
        },
        { mode: 'batch' },
      ),
    ])
    const result = await run(
      registry,
      [{ id: 's', type: 'total', settings: { maxAttempts: 2, backoffMs: 0 } }],
      ['t>s'],
      numbered(2500, 1000),
    )
    expect(result.status).toBe('succeeded')
    expect(result.steps.s.attempts).toBe(2)
    expect(totals).toEqual([2500])
  })
})
