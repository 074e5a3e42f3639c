// A stream node (mode 'stream', e.g. Merge) gets no items up front: it reads each input port page by page, in any
// interleaving, and writes output as it goes, so a node with several inputs keeps memory bounded too.
import { describe, expect, it } from 'vitest'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import type { EngineEvent, ExecuteContext, Item, NodeOutput } from '@/lib/engine/types'
import { def, graph } from './builders'

const pages = (from: number, total: number, size: number) =>
  Array.from({ length: Math.ceil(total / size) }, (_, p) => Array.from({ length: Math.min(size, total - p * size) }, (_, k) => ({ i: from + p * size + k })))

function run(stream: (ctx: ExecuteContext) => Promise<NodeOutput>, opts: { limit?: number } = {}) {
  const registry = createRegistry([
    def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
    // Two sources of different sizes, each writing pages of 10.
    def('source', async (ctx) => {
      for (const page of pages(ctx.node.id === 'a' ? 0 : 100, ctx.node.id === 'a' ? 35 : 12, 10)) await ctx.write({ main: page })
      return {}
    }),
    def('join', stream, { mode: 'stream', inputs: [{ name: 'left' }, { name: 'right' }, { name: 'spare' }] }),
  ])
  const events: EngineEvent[] = []
  const result = runWorkflow({
    graph: graph(['t:trigger', 'a:source', 'b:source', 'j:join'], ['t>a', 't>b', 'a>j.left', 'b>j.right']),
    registry,
    executionId: 'ex1',
    workflowId: 'wf1',
    tenantId: 't1',
    input: [{}],
    pageSize: 10,
    limits: { maxItemsPerStep: opts.limit ?? 1000 },
    onEvent: (e) => void events.push(e),
    services: {
      http: { request: async () => Promise.reject(new Error('no http')) },
      sandbox: { evaluateExpression: async () => undefined, runCode: async () => undefined },
      sleep: async () => {},
    },
    getCredential: async () => Promise.reject(new Error('no credentials')),
  })
  return result.then((r) => ({ result: r, events }))
}

describe('stream nodes', () => {
  it('read their ports page by page in lockstep, know the counts, and write as they go', async () => {
    const seen: string[] = []
    const { result, events } = await run(async (ctx) => {
      seen.push(`items ${ctx.items.length}, counts ${JSON.stringify(ctx.inputCounts)}`)
      const left = ctx.inputPages('left')[Symbol.asyncIterator]()
      const right = ctx.inputPages('right')[Symbol.asyncIterator]()
      for (;;) {
        const [l, r] = [await left.next(), await right.next()]
        if (l.done && r.done) break
        seen.push(`${l.done ? 0 : l.value.length}+${r.done ? 0 : r.value.length}`)
        await ctx.write({ main: [...(l.done ? [] : l.value), ...(r.done ? [] : r.value)] })
      }
      return { main: [{ last: true }] }
    })
    expect(result.status).toBe('succeeded')
    expect(seen).toEqual(['items 0, counts {"left":35,"right":12,"spare":0}', '10+10', '10+2', '10+0', '5+0'])
    expect(result.steps.j.outputCounts).toEqual({ main: 48 })
    const started = events.find((e) => e.type === 'step.started' && e.nodeId === 'j') as Extract<EngineEvent, { type: 'step.started' }>
    // The preview is the first page of the first port, which the node still receives in full.
    expect(started.inputCount).toBe(35)
    expect(started.input.map((x: Item) => x.i)).toEqual(pages(0, 10, 10)[0].map((x) => x.i))
  })

  it('count what they write against the per-step item cap before storing it', async () => {
    const { result } = await run(
      async (ctx) => {
        for await (const page of ctx.inputPages('left')) await ctx.write({ main: [...page, ...page] })
        return {}
      },
      { limit: 50 },
    )
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', nodeId: 'j' })
  })
})
