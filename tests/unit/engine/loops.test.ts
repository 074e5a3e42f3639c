// Loop nodes: the body runs once per batch, what comes back goes out of done once, the iteration cap, skipped branches
// inside the body, expressions seeing the current iteration, resume, and the cycles validation accepts and refuses.
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { validateGraph } from '@/lib/engine/validate'
import type { EngineEvent, Item } from '@/lib/engine/types'
import { createSandbox } from '@/lib/sandbox/isolate'
import { eventsOf, graph, harness, registryFor } from './builders'

const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ i, ok: i % 2 === 0 }))
const loop = (batchSize: number, extra: Record<string, unknown> = {}) => ({ id: 'l', type: 'loop', params: { batchSize, ...extra } })
const readAll = async (store: MemoryItemStore, nodeId: string, port = 'main') => {
  const out: Item[] = []
  for await (const page of store.pages(nodeId, port)) out.push(...page)
  return out
}
const of = <T extends EngineEvent['type']>(events: EngineEvent[], type: T, nodeId: string) =>
  events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type && 'nodeId' in e && e.nodeId === nodeId)

/** trigger → loop; loop.loop → b → loop; loop.done → after */
const simpleLoop = (batchSize: number, extra: Record<string, unknown> = {}) =>
  graph(['t:trigger', loop(batchSize, extra), 'b:pass', 'after:pass-batch'], ['t>l', 'l.loop>b', 'b>l', 'l.done>after'])

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

describe('loops', () => {
  it('10 items in batches of 3: 4 iterations, done has the 10 items in order, once', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const result = await h.run(simpleLoop(3), { input: items(10), store })
    expect(result.status).toBe('succeeded')
    expect(h.probe.attempts.get('b')).toBe(4)
    expect(h.probe.attempts.get('after')).toBe(1)
    expect(of(h.events, 'step.started', 'b').map((e) => [e.attempt, e.iteration, e.inputCount])).toEqual([[1, 1, 3], [2, 2, 3], [3, 3, 3], [4, 4, 1]])
    expect(await readAll(store, 'after')).toEqual(items(10))
    expect(result.steps.l).toMatchObject({ status: 'succeeded', iterations: 4, outputCounts: { done: 10 } })
    expect(result.steps.b).toMatchObject({ status: 'succeeded', attempts: 4, iterations: 4, outputCounts: { main: 1 } })
    // The loop node's own events: one start, one end carrying the number of iterations.
    expect(eventsOf(h.events, 'l')).toEqual(['step.started', 'step.succeeded'])
    expect(of(h.events, 'step.succeeded', 'l')[0]).toMatchObject({ iteration: 4, outputCounts: { done: 10 } })
    // A body step's output is its last iteration's.
    expect(await readAll(store, 'b')).toEqual([{ i: 9, ok: false }])
  })

  it('stores the done port in whole pages, not one per batch', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    await h.run(simpleLoop(1), { input: items(25), store, pageSize: 10 })
    const sizes: number[] = []
    for await (const page of store.pages('l', 'done')) sizes.push(page.length)
    expect(sizes).toEqual([10, 10, 5])
    expect(h.probe.attempts.get('after')).toBe(3)
    expect(h.probe.maxItems).toBeLessThanOrEqual(10)
  })

  it('runs a branch inside the body: items routed away end there, the skipped side is skipped per iteration', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const g = graph(['t:trigger', loop(2), 'if:branch', 'yes:pass', 'no:pass', 'after:pass'], ['t>l', 'l.loop>if', 'if.true>yes', 'if.false>no', 'yes>l', 'l.done>after'])
    // Batches: [0,1] (both sides), [2,4]... items 0..5 with ok = even; a batch of two evens skips "no".
    const input = [{ i: 0, ok: true }, { i: 1, ok: false }, { i: 2, ok: true }, { i: 4, ok: true }, { i: 5, ok: false }]
    const result = await h.run(g, { input, store })
    expect(result.status).toBe('succeeded')
    expect(await readAll(store, 'after')).toEqual([{ i: 0, ok: true }, { i: 2, ok: true }, { i: 4, ok: true }])
    expect(eventsOf(h.events, 'no')).toEqual(['step.started', 'step.succeeded', 'step.skipped', 'step.started', 'step.succeeded'])
    const skipped = of(h.events, 'step.skipped', 'no')[0]
    expect(skipped).toMatchObject({ attempt: 2, iteration: 2 })
    expect(of(h.events, 'step.started', 'no').map((e) => e.attempt)).toEqual([1, 3])
    expect(await readAll(store, 'no')).toEqual([{ i: 5, ok: false }])
  })

  it('a body without an edge back still runs per batch; done then outputs nothing and its successors run with no items', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const result = await h.run(graph(['t:trigger', loop(2), 'b:pass', 'after:pass'], ['t>l', 'l.loop>b', 'l.done>after']), { input: items(5), store })
    expect(result.status).toBe('succeeded')
    expect(h.probe.attempts.get('b')).toBe(3)
    expect(result.steps.after).toMatchObject({ status: 'succeeded', outputCounts: { main: 0 } })
  })

  it('no input: no iteration, the body is skipped, done successors run with no items', async () => {
    const h = harness()
    const result = await h.run(simpleLoop(3), { input: [] })
    expect(result.status).toBe('succeeded')
    expect(result.steps.b.status).toBe('skipped')
    expect(result.steps.l).toMatchObject({ status: 'succeeded', iterations: 0, outputCounts: { done: 0 } })
    expect(result.steps.after.status).toBe('succeeded')
  })

  it.each([
    ['its maxIterations', { maxIterations: 3 }, undefined, 3, 'maxIterations'],
    ['the host limit', { maxIterations: 100 }, 2, 2, 'AUTERITY_MAX_LOOP_ITERATIONS'],
  ])('more batches than %s: LOOP_LIMIT before any iteration runs', async (_label, params, hostCap, limit, setting) => {
    const h = harness()
    const result = await h.run(simpleLoop(3, params), { input: items(10), ...(hostCap && { limits: { maxLoopIterations: hostCap } }) })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'LOOP_LIMIT', nodeId: 'l', details: { limit, iterations: 4, setting } })
    expect(result.error?.message).toContain('Loop "l" would run 4 iterations (10 items in batches of 3)')
    expect(result.error?.message).toContain(`more than ${limit}`)
    expect(h.probe.attempts.get('b')).toBeUndefined()
    expect(result.steps.l.status).toBe('failed')
  })

  it('a failing body step fails the run with its own error; the loop step fails naming the iteration', async () => {
    const h = harness()
    const g = graph(['t:trigger', loop(1), { id: 'f', type: 'fail', params: { retryable: false, times: 1 } }, 'b:pass', 'after:pass'], ['t>l', 'l.loop>b', 'b>f', 'f>l', 'l.done>after'])
    const result = await h.run(g, { input: items(3) })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'BOOM', nodeId: 'f' })
    expect(result.steps.l).toMatchObject({ status: 'failed', error: { code: 'LOOP_BODY_FAILED', details: { iteration: 1 } } })
    expect(result.steps.after.status).toBe('pending')
  })

  it('retries inside an iteration keep counting attempts across iterations', async () => {
    const h = harness()
    const g = graph(['t:trigger', loop(1), { id: 'f', type: 'fail', params: { times: 1 }, settings: { maxAttempts: 2, backoffMs: 0 } }], ['t>l', 'l.loop>f', 'f>l'])
    const result = await h.run(g, { input: items(2) })
    expect(result.status).toBe('succeeded')
    expect(of(h.events, 'step.failed', 'f').map((e) => [e.attempt, e.iteration, e.willRetry])).toEqual([[1, 1, true], [3, 2, true]])
    expect(of(h.events, 'step.succeeded', 'f').map((e) => [e.attempt, e.iteration])).toEqual([[2, 1], [4, 2]])
  })

  it('a body node with an input from before the loop reads it in every iteration, and the loop waits for it', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const g = graph(['t:trigger', 'side:pass', loop(2), 'm:merge'], ['t>side', 't>l', 'l.loop>m.input1', 'side>m.input2', 'm>l'])
    const result = await h.run(g, { input: items(4), store, concurrency: 1 })
    expect(result.status).toBe('succeeded')
    expect(h.probe.order.indexOf('side')).toBeLessThan(h.probe.order.indexOf('l'))
    expect(await readAll(store, 'l', 'done')).toEqual([...items(4).slice(0, 2), ...items(4), ...items(4).slice(2, 4), ...items(4)])
  })

  it('expressions in the body see the current batch and this iteration\'s output of body nodes; after the loop, the last one', async () => {
    const h = harness(sandbox)
    const store = new MemoryItemStore()
    const g = graph(
      ['t:trigger', loop(2), 'a:pass', { id: 'p', type: 'params', params: { batchFirst: '{{ $node["l"].json.i }}', fromA: '{{ $("a").items.length }}' } }, { id: 'end', type: 'params', params: { lastA: '{{ $node.a.json.i }}' } }],
      ['t>l', 'l.loop>a', 'a>p', 'p>l', 'l.done>end'],
    )
    const result = await h.run(g, { input: items(5), store })
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded')
    expect((await readAll(store, 'l', 'done')).map((x) => [x.batchFirst, x.fromA])).toEqual([[0, 2], [0, 2], [2, 2], [2, 2], [4, 1]])
    expect((await readAll(store, 'end'))[0]).toMatchObject({ lastA: 4 })
  })

  it('with concurrency 1 the loop does not hold the only slot its body needs', async () => {
    const h = harness()
    const result = await h.run(simpleLoop(1), { input: items(3), concurrency: 1 })
    expect(result.status).toBe('succeeded')
    expect(h.probe.attempts.get('b')).toBe(3)
  })

  it('a disabled loop node hands its input to done and skips its body', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const g = simpleLoop(2)
    const disabled = { ...g, nodes: g.nodes.map((n) => (n.id === 'l' ? { ...n, settings: { disabled: true } } : n)) }
    const result = await h.run(disabled, { input: items(3), store })
    expect(result.status).toBe('succeeded')
    expect(result.steps.b.status).toBe('skipped')
    expect(await readAll(store, 'after')).toEqual(items(3))
  })

  it('a cancel while the body runs stops the loop: the body step and the loop step are canceled, done never fires', async () => {
    const h = harness()
    const ctl = new AbortController()
    const g = graph(['t:trigger', loop(1), { id: 'g', type: 'gated', params: { hold: true } }, 'after:pass'], ['t>l', 'l.loop>g', 'g>l', 'l.done>after'])
    const running = h.run(g, { input: items(3), signal: ctl.signal })
    await h.probe.whenStarted('g')
    ctl.abort()
    const result = await running
    expect(result.status).toBe('canceled')
    expect(result.steps.l.status).toBe('canceled')
    expect(result.steps.g.status).toBe('canceled')
    expect(result.steps.after.status).toBe('pending')
    expect(of(h.events, 'step.failed', 'l')[0]).toMatchObject({ error: { code: 'CANCELED' }, iteration: 1 })
  })

  it('gives each iteration of a body step its own idempotency key', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const g = graph(['t:trigger', loop(1), 'k:progress'], ['t>l', 'l.loop>k', 'k>l'])
    await h.run(g, { input: items(2), store })
    expect(await readAll(store, 'l', 'done')).toEqual([{ key: 'ex1:k#1' }, { key: 'ex1:k#2' }])
  })

  describe('resume', () => {
    it('an unfinished loop starts over: body steps settled in an earlier delivery run again', async () => {
      const store = new MemoryItemStore()
      const first = harness()
      await first.run(simpleLoop(3), { input: items(10), store })
      const h = harness()
      const result = await h.run(simpleLoop(3), {
        input: items(10),
        store,
        // The earlier delivery stopped in the loop's third iteration: the loop and "after" had not settled.
        completed: { t: { status: 'succeeded', outputCounts: { main: 10 } }, b: { status: 'succeeded', outputCounts: { main: 3 } } },
      })
      expect(result.status).toBe('succeeded')
      expect(h.probe.attempts.get('b')).toBe(4)
      expect(await readAll(store, 'after')).toEqual(items(10))
    })

    it('a finished loop is not run again: done successors read its output from the store', async () => {
      const store = new MemoryItemStore()
      await harness().run(simpleLoop(3), { input: items(10), store })
      const h = harness()
      const result = await h.run(simpleLoop(3), {
        input: items(10),
        store,
        completed: {
          t: { status: 'succeeded', outputCounts: { main: 10 } },
          l: { status: 'succeeded', outputCounts: { done: 10 } },
          b: { status: 'succeeded', outputCounts: { main: 1 } },
        },
      })
      expect(result.status).toBe('succeeded')
      expect(h.probe.attempts.get('b')).toBeUndefined()
      expect(h.probe.attempts.get('after')).toBe(1)
      expect(eventsOf(h.events, 'b')).toEqual([])
      expect(await readAll(store, 'after')).toEqual(items(10))
    })
  })
})

describe('validating loops', () => {
  const registry = registryFor()
  const codes = (g: ReturnType<typeof graph>) => validateGraph(g, registry).problems.map((p) => [p.code, p.path])

  it('accepts the edge from a loop body back into its loop node', () => {
    expect(validateGraph(simpleLoop(2), registry).problems).toEqual([])
  })

  it.each([
    ['a cycle without a loop node', graph(['t:trigger', 'a', 'b'], ['t>a', 'a>b', 'b>a']), [['CYCLE', 'nodes.a']]],
    ['a cycle inside a loop body', graph(['t:trigger', loop(1), 'a', 'b'], ['t>l', 'l.loop>a', 'a>b', 'b>a', 'b>l']), [['CYCLE', 'nodes.a']]],
    ['a cycle through the done port', graph(['t:trigger', loop(1), 'a', 'x'], ['t>l', 'l.loop>a', 'a>l', 'l.done>x', 'x>l']), [['CYCLE', 'nodes.l']]],
    ['the loop port straight back into the loop node', graph(['t:trigger', loop(1)], ['t>l', 'l.loop>l']), [['CYCLE', 'nodes.l']]],
    [
      'a loop inside another loop',
      graph(['t:trigger', loop(1), { id: 'l2', type: 'loop' }, 'a', 'b'], ['t>l', 'l.loop>l2', 'l2.loop>a', 'a>l2', 'l2.done>b', 'b>l']),
      [['LOOP_NESTED', 'nodes.l2']],
    ],
    [
      'a loop reached from another loop\'s body through a shared node',
      graph(['t:trigger', loop(1), { id: 'l2', type: 'loop' }, 'a'], ['t>l', 't>l2', 'l.loop>a', 'l2.loop>a', 'a>l']),
      [['LOOP_NESTED', 'nodes.l']],
    ],
    ['a node in two loops\' bodies', graph(['t:trigger', loop(1), { id: 'l2', type: 'loop' }, 'a'], ['t>l', 't>l2', 'l.loop>a', 'l2.loop>a']), [['LOOP_NESTED', 'nodes.a']]],
    [
      'a body node fed by the done port',
      graph(['t:trigger', loop(1), 'm:merge'], ['t>l', 'l.loop>m.input1', 'l.done>m.input2', 'm>l']),
      [['LOOP_INPUT_AFTER_LOOP', 'edges.2']],
    ],
    [
      'a body node fed by a node after the loop',
      graph(['t:trigger', loop(1), 'm:merge', 'x'], ['t>l', 'l.loop>m.input1', 'l.done>x', 'x>m.input2', 'm>l']),
      [['LOOP_INPUT_AFTER_LOOP', 'edges.3']],
    ],
  ])('refuses %s', (_label, g, expected) => {
    expect(codes(g)).toEqual(expected)
  })

  it('says what may close a cycle', () => {
    const [problem] = validateGraph(graph(['t:trigger', 'a', 'b'], ['t>a', 'a>b', 'b>a']), registry).problems
    expect(problem.message).toContain('"a" → "b"')
    expect(problem.message).toContain('Only a loop may go round')
  })

  it('runs refuse a graph the validator refuses', async () => {
    const result = await harness().run(graph(['t:trigger', 'a', 'b'], ['t>a', 'a>b', 'b>a']))
    expect(result.error?.code).toBe('INVALID_GRAPH')
  })
})
