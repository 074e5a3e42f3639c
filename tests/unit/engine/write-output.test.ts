// ctx.write: a node that makes many items from little input stores them as it goes instead of returning them whole.
import { describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import type { Item, ItemStore } from '@/lib/engine/types'
import { def, graph } from './builders'

/** Records how many items the store held at the moment each write happened. */
class WatchedStore extends MemoryItemStore implements ItemStore {
  readonly appends: number[] = []
  override async append(nodeId: string, port: string, items: Item[]) {
    if (nodeId === 'g') this.appends.push(items.length)
    return super.append(nodeId, port, items)
  }
}

function run(maxItemsPerStep = 1_000_000, store = new WatchedStore()) {
  const registry = createRegistry([
    def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
    def('gen', async (ctx) => {
      const n = (ctx.items[0]?.n as number) ?? 0
      for (let i = 0; i < n; i += 100) await ctx.write({ main: Array.from({ length: Math.min(100, n - i) }, (_, k) => ({ i: i + k })) })
      return { main: [{ i: 'last' }], extra: [{ side: true }] }
    }),
  ])
  return {
    store,
    result: runWorkflow({
      graph: graph(['t:trigger', 'g:gen'], ['t>g']),
      registry,
      executionId: 'ex1',
      workflowId: 'wf1',
      tenantId: 't1',
      input: [{ n: 250 }],
      pageSize: 1000,
      store,
      limits: { maxItemsPerStep },
      services: {
        http: { request: async () => Promise.reject(new Error('no http')) },
        sandbox: { evaluateExpression: async () => undefined, runCode: async () => undefined },
        sleep: async () => {},
      },
      getCredential: async () => Promise.reject(new Error('no credentials')),
    }),
  }
}

describe('ctx.write', () => {
  it('stores written items at once, before the returned ones, and counts them in the step output', async () => {
    const { store, result } = run()
    const r = await result
    expect(r.status).toBe('succeeded')
    expect(r.steps.g?.outputCounts).toEqual({ main: 251, extra: 1 })
    expect(store.appends).toEqual([100, 100, 50, 1, 1])
    const items: Item[] = []
    for await (const page of store.pages('g', 'main')) items.push(...page)
    expect(items.map((x) => x.i)).toEqual([...Array.from({ length: 250 }, (_, i) => i), 'last'])
  })

  it('holds written items to the step item cap like returned ones', async () => {
    const r = await run(120).result
    expect(r.status).toBe('failed')
    expect(r.error?.code).toBe('RUN_LIMIT_ITEMS')
  })
})
