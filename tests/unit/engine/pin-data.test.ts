import { describe, expect, it } from 'vitest'
import { workflowGraphSchema } from '@/lib/engine/graph-schema'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { isPinnedStep, PIN_DATA_MAX_BYTES, parsePinnedItems, withPinned } from '@/lib/engine/pin-data'
import type { EngineEvent, Item } from '@/lib/engine/types'
import { eventsOf, graph, harness } from './builders'

async function outputOf(store: MemoryItemStore, nodeId: string, port = 'main'): Promise<Item[]> {
  const out: Item[] = []
  for await (const page of store.pages(nodeId, port)) out.push(...page)
  return out
}

const succeeded = (events: EngineEvent[], nodeId: string) =>
  events.find((e): e is Extract<EngineEvent, { type: 'step.succeeded' }> => e.type === 'step.succeeded' && e.nodeId === nodeId)

describe('pinned data in runs', () => {
  const pinned = [{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }]
  // "x" would fail if it ran: a pinned x must not run.
  const g = graph(['t:trigger', 'x:fail', 'd:pass'], ['t>x', 'x>d'])

  it('a pinned node outputs its items instead of running when pin data applies (designer runs)', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const result = await h.run(g, { store, pinData: { x: pinned }, applyPinData: true })
    expect(result.status).toBe('succeeded')
    expect(h.probe.attempts.get('x')).toBeUndefined()
    expect(h.probe.order).toEqual(['d'])
    expect(await outputOf(store, 'd')).toEqual(pinned)
    expect(eventsOf(h.events, 'x')).toEqual(['step.started', 'step.succeeded'])
    const done = succeeded(h.events, 'x')!
    expect(done.output).toEqual({ main: pinned })
    expect(isPinnedStep(done)).toBe(true)
    expect(isPinnedStep(succeeded(h.events, 'd'))).toBe(false)
    // The input the node would have received is still recorded.
    const started = h.events.find((e) => e.type === 'step.started' && e.nodeId === 'x')
    expect(started).toMatchObject({ inputCount: 1, input: [{ n: 1 }] })
  })

  it.each([
    ['production runs (applyPinData false)', { applyPinData: false }],
    ['no applyPinData given', {}],
  ])('%s: the pinned node really executes', async (_label, extra) => {
    const h = harness()
    const result = await h.run(g, { pinData: { x: pinned }, ...extra })
    expect(result.status).toBe('failed')
    expect(result.steps.x.status).toBe('failed')
    expect(h.probe.attempts.get('x')).toBe(1)
  })

  it('a pinned trigger starts the run with its pinned items ($trigger reads them)', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const result = await h.run(graph(['t:trigger', 'd:pass'], ['t>d']), { store, input: [{ real: true }], pinData: { t: [{ pinned: 1 }] }, applyPinData: true })
    expect(result.status).toBe('succeeded')
    expect(await outputOf(store, 'd')).toEqual([{ pinned: 1 }])
  })

  it('pinned nodes inside a loop run anyway (pinning loops is not supported)', async () => {
    const h = harness()
    const loop = graph(['t:trigger', { id: 'l', type: 'loop', params: { batchSize: 1 } }, 'b:pass'], ['t>l', 'l.loop>b', 'b>l'])
    const result = await h.run(loop, { pinData: { b: [{ never: true }] }, applyPinData: true })
    expect(result.status).toBe('succeeded')
    expect(h.probe.attempts.get('b')).toBe(1)
  })
})

describe('pinData in the graph schema', () => {
  const base = { nodes: [{ id: 'a', type: 'x', name: 'A' }], edges: [] }

  it('keeps pinned items with the graph', () => {
    expect(workflowGraphSchema.parse({ ...base, pinData: { a: [{ k: 1 }] } }).pinData).toEqual({ a: [{ k: 1 }] })
    expect(workflowGraphSchema.parse(base).pinData).toBeUndefined()
  })

  it.each([
    ['items that are not objects', { a: [1, 2] }],
    ['a node whose pin is not a list', { a: { k: 1 } }],
  ])('refuses %s', (_label, pinData) => {
    expect(workflowGraphSchema.safeParse({ ...base, pinData }).success).toBe(false)
  })

  it('refuses more than 1 MB of pinned data with a clear message', () => {
    const big = { a: [{ text: 'x'.repeat(PIN_DATA_MAX_BYTES) }] }
    const r = workflowGraphSchema.safeParse({ ...base, pinData: big })
    expect(r.success).toBe(false)
    expect(r.error!.issues[0].message).toMatch(/at most 1\.00 MB/)
    expect(withPinned({}, 'a', big.a)).toMatchObject({ ok: false, error: expect.stringMatching(/limit is 1\.00 MB/) })
    expect(withPinned({ a: [{}] }, 'a', null)).toEqual({ ok: true, pinData: {} })
  })
})

describe('parsePinnedItems', () => {
  it.each<[string, string, Item[]]>([
    ['an array of objects', '[{"a":1},{"a":2}]', [{ a: 1 }, { a: 2 }]],
    ['one object as one item', '{"a":1}', [{ a: 1 }]],
    ['an empty list', '[]', []],
  ])('accepts %s', (_label, text, items) => {
    expect(parsePinnedItems(text)).toEqual({ ok: true, items })
  })

  it.each([
    ['', /Enter JSON/],
    ['{a: 1}', /not valid JSON/],
    ['42', /array of objects or one object; this is a number/],
    ['"hi"', /this is text/],
    ['[{"a":1}, [1]]', /Item 2 is a list/],
    ['[null]', /Item 1 is null/],
  ])('explains what is wrong with %j', (text, message) => {
    const r = parsePinnedItems(text)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toMatch(message)
  })
})
