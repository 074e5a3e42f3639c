// What runs keep between them (lib/engine/plan.ts, params.ts, step.ts): the plan of a deep-frozen graph, its static
// params and each definition's executor. Kept data must never be stale (a changed graph or registry is planned again)
// or shared (two graphs, two registries, two runs of a node that changes its params), and a run on a kept plan must
// behave exactly like a run planned afresh.
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { WorkflowGraph } from '@/lib/engine/graph-schema'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { graphPlan, isImmutableGraph, runPlan } from '@/lib/engine/plan'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import type { EngineEvent, Item, NodeDefinition, RunOptions } from '@/lib/engine/types'
import { def, graph, harness, noSandbox, registryFor } from './builders'

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

const services = { http: { request: async () => Promise.reject(new Error('no http')) }, sandbox: noSandbox, sleep: async () => {} }
const run = (g: WorkflowGraph, registry: RunOptions['registry'], extra: Partial<RunOptions> = {}) =>
  runWorkflow({ graph: g, registry, executionId: 'e', workflowId: 'w', tenantId: 't', input: [{ n: 1 }], services, getCredential: async () => Promise.reject(new Error('none')), ...extra })

/** What a run did, without times: statuses and counts per step, and each event with its timestamps left out. */
async function observe(g: WorkflowGraph, opts: Partial<RunOptions> = {}) {
  const h = harness()
  const store = new MemoryItemStore()
  const result = await h.run(g, { store, ...opts })
  const steps = Object.fromEntries(Object.entries(result.steps).map(([id, s]) => [id, { status: s.status, attempts: s.attempts, iterations: s.iterations, outputCounts: s.outputCounts, error: s.error?.code }]))
  const events = h.events.map(({ at: _at, durationMs: _d, ...rest }: EngineEvent & { at?: number; durationMs?: number }) => {
    const logs = 'logs' in rest ? rest.logs?.map((l) => l.message) : undefined
    return { ...rest, ...(logs && { logs }) }
  })
  const outputs: Record<string, Item[]> = {}
  for (const id of Object.keys(result.steps)) for await (const page of store.pages(id, 'main')) (outputs[id] ??= []).push(...page)
  return { status: result.status, error: result.error?.code, steps, events, order: h.probe.order, outputs }
}

describe('a run on a kept plan behaves like a run planned afresh', () => {
  const loop = { id: 'l', type: 'loop', params: { batchSize: 2 } }
  it.each<[string, () => WorkflowGraph, Partial<RunOptions>]>([
    ['chain', () => graph(['t:trigger', 'a', 'b', 'c'], ['t>a', 'a>b', 'b>c']), {}],
    ['diamond into a merge', () => graph(['t:trigger', 'a', 'b', 'c', 'm:merge'], ['t>a', 'a>b', 't>c', 'b>m.input1', 'c>m.input2']), { concurrency: 1 }],
    ['If with a skipped branch', () => graph(['t:trigger', 'b:branch', 'x', 'y', 'y2'], ['t>b', 'b.true>x', 'b.false>y', 'y>y2']), { input: [{ ok: 1 }] }],
    ['params with and without expressions', () => graph(['t:trigger', { id: 'p', type: 'params', params: { fixed: 'x', v: '{{ $json.n }}' } }, { id: 's', type: 'params', params: { fixed: 'y', nested: { list: [1, 2] } } }], ['t>p', 'p>s']), { input: [{ n: 1 }, { n: 2 }] }],
    ['a batch node', () => graph(['t:trigger', 'b:pass-batch', 'a'], ['t>b', 'b>a']), { input: Array.from({ length: 5 }, (_, i) => ({ i })), pageSize: 2 }],
    ['retries then continueOnFail', () => graph(['t:trigger', { id: 'f', type: 'fail', settings: { maxAttempts: 2, continueOnFail: true } }, 'a'], ['t>f', 'f.error>a']), { random: () => 0.5 }],
    ['a failing step fails the run', () => graph(['t:trigger', { id: 'f', type: 'fail', params: { retryable: false } }, 'a'], ['t>f', 'f>a']), {}],
    ['a disabled node', () => graph(['t:trigger', { id: 'f', type: 'fail', settings: { disabled: true } }, 'a'], ['t>f', 'f>a']), {}],
    ['a loop', () => graph(['t:trigger', loop, 'b:pass', 'after:pass-batch'], ['t>l', 'l.loop>b', 'b>l', 'l.done>after']), { input: Array.from({ length: 5 }, (_, i) => ({ i })) }],
    ['pinned data', () => graph(['t:trigger', 'x:fail', 'd'], ['t>x', 'x>d']), { pinData: { x: [{ pinned: true }] }, applyPinData: true }],
    ['another trigger', () => graph(['t:trigger', 'u:trigger', 'a', 'b'], ['t>a', 'u>b']), { triggerNodeId: 'u' }],
    ['an invalid graph', () => graph(['t:trigger', 'a:nope'], ['t>a']), {}],
    ['no trigger', () => graph(['a', 'b'], ['a>b']), {}],
  ])('%s', async (_label, make, opts) => {
    const fresh = await observe(make(), opts)
    const frozen = deepFreeze(make())
    const first = await observe(frozen, opts)
    const again = await observe(frozen, opts)
    expect(first).toEqual(fresh)
    expect(again).toEqual(fresh)
  })
})

describe('graph plans', () => {
  const registry = registryFor()

  it('are kept for a deep-frozen graph and its registry, never for one that can still change', () => {
    const open = graph(['t:trigger', 'a'], ['t>a'])
    expect(graphPlan(open, registry)).not.toBe(graphPlan(open, registry))
    const shallow = Object.freeze(graph(['t:trigger', 'a'], ['t>a']))
    expect(isImmutableGraph(shallow)).toBe(false)
    expect(graphPlan(shallow, registry)).not.toBe(graphPlan(shallow, registry))
    const paramsOpen = Object.freeze({ ...graph(['t:trigger', 'a'], ['t>a']) })
    deepFreeze(paramsOpen.edges)
    for (const n of paramsOpen.nodes) Object.freeze(n)
    Object.freeze(paramsOpen.nodes)
    expect(isImmutableGraph(paramsOpen)).toBe(false) // params and settings objects are still open
    const frozen = deepFreeze(graph(['t:trigger', 'a'], ['t>a']))
    expect(isImmutableGraph(frozen)).toBe(true)
    expect(graphPlan(frozen, registry)).toBe(graphPlan(frozen, registry))
    expect(graphPlan(frozen, registryFor())).not.toBe(graphPlan(frozen, registry))
  })

  it('two graphs never share a plan, even with the same content', async () => {
    const a = deepFreeze(graph(['t:trigger', 'x:pass'], ['t>x']))
    const b = deepFreeze(graph(['t:trigger', 'x:empty'], ['t>x']))
    const same = deepFreeze(graph(['t:trigger', 'x:pass'], ['t>x']))
    expect(graphPlan(a, registry)).not.toBe(graphPlan(same, registry))
    expect((await run(a, registry)).steps.x.outputCounts.main).toBe(1)
    expect((await run(b, registry)).steps.x.outputCounts.main).toBe(0)
    expect((await run(a, registry)).steps.x.outputCounts.main).toBe(1)
  })

  it('a graph changed between runs is planned again: nothing from its last run is used', async () => {
    const g = graph(['t:trigger', 'a'], ['t>a'])
    // Frozen on the outside only (the nodes and edges lists can still change): the old check of frozen graphs kept it.
    const shallow = Object.freeze({ ...g })
    expect((await run(shallow, registry)).steps.a.status).toBe('succeeded')
    shallow.nodes.push({ ...g.nodes[1], id: 'b', name: 'b', type: 'empty' })
    shallow.edges.push({ source: 'a', sourcePort: 'main', target: 'b', targetPort: 'main' })
    const second = await run(shallow, registry)
    expect(second.steps.b).toMatchObject({ status: 'succeeded', outputCounts: {} })
    shallow.nodes[1].type = 'nope'
    const third = await run(shallow, registry)
    expect(third.status).toBe('failed')
    expect(third.error?.code).toBe('INVALID_GRAPH')
  })

  it('a registry whose definition was replaced gets a new plan', async () => {
    const pass = def('pass', async (ctx) => ({ main: ctx.items }))
    const reg = new Map<string, NodeDefinition>([
      ['trigger', def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] })],
      ['pass', pass],
    ])
    const g = deepFreeze(graph(['t:trigger', 'a'], ['t>a']))
    const plan = graphPlan(g, reg)
    expect(graphPlan(g, reg)).toBe(plan)
    reg.set('pass', def('pass', async () => ({ main: [{ replaced: true }, { replaced: true }] })))
    expect(graphPlan(g, reg)).not.toBe(plan)
    expect((await run(g, reg)).steps.a.outputCounts.main).toBe(2)
  })

  it('keeps the wiring per trigger asked for', async () => {
    const g = deepFreeze(graph(['t:trigger', 'u:trigger', 'a', 'b'], ['t>a', 'u>b']))
    const plan = graphPlan(g, registry)
    expect(runPlan(plan, registry, undefined)?.trigger.id).toBe('t')
    expect(runPlan(plan, registry, 'u')?.trigger.id).toBe('u')
    expect(runPlan(plan, registry, 'a')).toBeUndefined()
    expect(Object.keys((await run(g, registry, { triggerNodeId: 'u' })).steps).sort()).toEqual(['b', 'u'])
    expect(Object.keys((await run(g, registry)).steps).sort()).toEqual(['a', 't'])
  })

  it('pinned data stays a per-run choice on a kept plan', async () => {
    const g = deepFreeze(graph(['t:trigger', 'x:fail', 'd'], ['t>x', 'x>d']))
    const pinData = { x: [{ pinned: 1 }] }
    expect((await run(g, registry, { pinData, applyPinData: true })).status).toBe('succeeded')
    expect((await run(g, registry, { pinData, applyPinData: false })).status).toBe('failed')
    expect((await run(g, registry, { pinData: { x: [{ a: 1 }, { a: 2 }] }, applyPinData: true })).steps.d.outputCounts.main).toBe(2)
  })
})

describe('params without expressions, parsed once', () => {
  it('every call gets its own copy: a node that changes its params does not change the next run', async () => {
    const seen: unknown[] = []
    const registry = createRegistry([
      def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
      def(
        'mutate',
        async (ctx) => {
          seen.push(structuredClone(ctx.params))
          expect(await ctx.paramsFor(0)).toBe(ctx.params) // one object per call, as before
          ;(ctx.params.list as number[]).push(99)
          ctx.params.extra = true
          return { main: ctx.items }
        },
        { params: z.object({ list: z.array(z.number()), size: z.number().default(3) }) },
      ),
    ])
    const g = deepFreeze(graph(['t:trigger', { id: 'm', type: 'mutate', params: { list: [1] } }], ['t>m']))
    for (let i = 0; i < 3; i++) expect((await run(g, registry)).status).toBe('succeeded')
    expect(seen).toEqual([{ list: [1], size: 3 }, { list: [1], size: 3 }, { list: [1], size: 3 }])
    expect(g.nodes[1].params).toEqual({ list: [1] })
  })

  it('are parsed every time when the schema makes something other than plain data', async () => {
    const made: unknown[] = []
    const registry = createRegistry([
      def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
      def(
        'dated',
        async (ctx) => {
          made.push(ctx.params.when)
          return { main: ctx.items }
        },
        { params: z.object({ when: z.string().transform((s) => new Date(s)) }) },
      ),
    ])
    const g = deepFreeze(graph(['t:trigger', { id: 'd', type: 'dated', params: { when: '2024-01-01T00:00:00Z' } }], ['t>d']))
    await run(g, registry)
    await run(g, registry)
    expect(made).toHaveLength(2)
    expect(made[0]).toBeInstanceOf(Date)
    expect(made[0]).not.toBe(made[1])
  })

  it('invalid static params fail each run with INVALID_PARAMS', async () => {
    const registry = registryFor()
    const g = deepFreeze(graph(['t:trigger', { id: 'x', type: 'typed', params: { url: 'not a url' } }], ['t>x']))
    for (let i = 0; i < 2; i++) {
      const result = await run(g, registry)
      expect(result.status).toBe('failed')
      expect(result.error).toMatchObject({ code: 'INVALID_PARAMS', field: 'url', nodeId: 'x' })
    }
  })
})

describe('executors and events', () => {
  it("a definition's load() runs once; a failed load is tried again", async () => {
    let fail = true
    const load = vi.fn(async () => {
      if (fail) throw new Error('module not ready')
      return { execute: async (ctx: { items: Item[] }) => ({ main: ctx.items }) }
    })
    const registry = createRegistry([def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }), { ...def('lazy', async () => ({})), load }])
    const g = graph(['t:trigger', 'a:lazy', 'b:lazy'], ['t>a', 'a>b'])
    expect((await run(g, registry)).status).toBe('failed')
    fail = false
    for (let i = 0; i < 3; i++) expect((await run(g, registry)).status).toBe('succeeded')
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('each event waits for the handler of the one before, sync and async handlers alike', async () => {
    const handled: string[] = []
    let slow = true
    const onEvent = async (e: EngineEvent) => {
      // Alternate: a handler that answers later must still be finished before the next event is handed over.
      slow = !slow
      if (slow) await new Promise((resolve) => setTimeout(resolve, 2))
      handled.push(`${e.type}${'nodeId' in e ? `:${e.nodeId}` : ''}`)
    }
    const registry = registryFor()
    const result = await run(graph(['t:trigger', 'a', 'b'], ['t>a', 'a>b']), registry, { onEvent })
    expect(result.status).toBe('succeeded')
    expect(handled).toEqual(['step.started:t', 'step.succeeded:t', 'step.started:a', 'step.succeeded:a', 'step.started:b', 'step.succeeded:b', 'execution.finished'])
    const sync: string[] = []
    await run(graph(['t:trigger', 'a'], ['t>a']), registry, { onEvent: (e) => void sync.push(e.type) })
    expect(sync).toEqual(['step.started', 'step.succeeded', 'step.started', 'step.succeeded', 'execution.finished'])
  })
})
