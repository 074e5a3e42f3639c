import { describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import type { Item, ItemStore } from '@/lib/engine/types'
import { eventsOf, graph, harness } from './builders'

/** Keeps only pages not yet read (each output here has one consumer) and records every append. */
class CountingStore implements ItemStore {
  appends: { nodeId: string; port: string; size: number }[] = []
  resident = 0
  maxResident = 0
  private pagesByKey = new Map<string, Item[][]>()
  async append(nodeId: string, port: string, items: Item[]) {
    this.appends.push({ nodeId, port, size: items.length })
    const key = `${nodeId}/${port}`
    this.pagesByKey.set(key, [...(this.pagesByKey.get(key) ?? []), items])
    this.resident += items.length
    this.maxResident = Math.max(this.maxResident, this.resident)
  }
  async *pages(nodeId: string, port: string) {
    const list = this.pagesByKey.get(`${nodeId}/${port}`) ?? []
    while (list.length > 0) {
      const page = list.shift()!
      this.resident -= page.length
      yield page
    }
  }
  async count(nodeId: string, port: string) {
    return (this.pagesByKey.get(`${nodeId}/${port}`) ?? []).reduce((n, p) => n + p.length, 0)
  }
  async clear(nodeId: string) {
    for (const key of [...this.pagesByKey.keys()]) if (key.startsWith(`${nodeId}/`)) this.pagesByKey.delete(key)
  }
}

async function* generate(total: number, chunk: number): AsyncGenerator<Item[]> {
  for (let i = 0; i < total; i += chunk) yield Array.from({ length: Math.min(chunk, total - i) }, (_, k) => ({ i: i + k }))
}

describe('paging', () => {
  it('streams 1,000,000 items through 3 batch nodes one page at a time', async () => {
    const h = harness()
    const store = new CountingStore()
    const g = graph(['t:trigger', 'a:pass-batch', 'b:pass-batch', 'c:pass-batch'], ['t>a', 'a>b', 'b>c'])
    const result = await h.run(g, { input: generate(1_000_000, 777), store, pageSize: 1000, previewItems: 5 })
    expect(result.status).toBe('succeeded')
    for (const id of ['t', 'a', 'b', 'c']) expect(result.steps[id].outputCounts).toEqual({ main: 1_000_000 })
    expect(new Set(store.appends.map((a) => a.size))).toEqual(new Set([1000]))
    expect(store.appends).toHaveLength(4000)
    for (const id of ['a', 'b', 'c']) expect(h.probe.attempts.get(id)).toBe(1000)
    expect(h.probe.maxItems).toBe(1000)
    // The engine itself holds one page per running node; the store holds at most one settled output (+ one page).
    expect(store.maxResident).toBeLessThanOrEqual(1_000_000 + 1000)
    const started = h.events.find((e) => e.type === 'step.started' && e.nodeId === 'b')
    expect(started).toMatchObject({ inputCount: 1_000_000 })
    expect(started?.type === 'step.started' && started.input).toHaveLength(5)
  })

  it('re-chunks an async input into pages and runs an all-mode node with every item', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    const result = await h.run(graph(['t:trigger', 'a:pass'], ['t>a']), { input: generate(2500, 333), store, pageSize: 1000 })
    expect(result.steps.a.outputCounts).toEqual({ main: 2500 })
    expect(h.probe.maxItems).toBe(2500)
    const sizes: number[] = []
    for await (const page of store.pages('a', 'main')) sizes.push(page.length)
    expect(sizes).toEqual([1000, 1000, 500])
  })

  it('runs a batch node once with zero items when its input is empty', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'a:pass-batch'], ['t>a']), { input: [] })
    expect(result.steps.a).toMatchObject({ status: 'succeeded', outputCounts: {} })
    expect(h.probe.attempts.get('a')).toBe(1)
  })
})

describe('resume', () => {
  it('does not rerun completed steps, reads their output from the store and emits nothing for them', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    await store.append('t', 'main', [{ n: 1 }])
    await store.append('a', 'main', [{ from: 'a' }, { from: 'a2' }])
    const result = await h.run(graph(['t:trigger', 'a', 'b'], ['t>a', 'a>b']), {
      store,
      completed: { t: { status: 'succeeded', outputCounts: { main: 1 } }, a: { status: 'succeeded', outputCounts: { main: 2 } } },
    })
    expect(result.status).toBe('succeeded')
    expect(h.probe.order).toEqual(['b'])
    expect(result.steps.b.outputCounts).toEqual({ main: 2 })
    expect(eventsOf(h.events, 't')).toEqual([])
    expect(eventsOf(h.events, 'a')).toEqual([])
    expect(result.steps.a).toMatchObject({ status: 'succeeded', attempts: 0 })
  })

  it('keeps the skip decisions of completed steps', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    await store.append('t', 'main', [{ ok: 1 }])
    await store.append('b', 'true', [{ ok: 1 }])
    const result = await h.run(graph(['t:trigger', 'b:branch', 'x', 'y', 'y2'], ['t>b', 'b.true>x', 'b.false>y', 'y>y2']), {
      store,
      completed: { t: { status: 'succeeded', outputCounts: { main: 1 } }, b: { status: 'succeeded', outputCounts: { true: 1 } }, y: { status: 'skipped', outputCounts: {} } },
    })
    expect(h.probe.order).toEqual(['x'])
    expect(result.steps.y2.status).toBe('skipped')
  })

  it('reruns a step killed mid-way, discarding its partial output', async () => {
    const h = harness()
    const store = new MemoryItemStore()
    await store.append('t', 'main', [{ n: 1 }])
    await store.append('a', 'main', [{ stale: true }])
    const result = await h.run(graph(['t:trigger', 'a', 'b'], ['t>a', 'a>b']), { store, completed: { t: { status: 'succeeded', outputCounts: { main: 1 } } } })
    expect(h.probe.order).toEqual(['a', 'b'])
    expect(result.steps.b.outputCounts).toEqual({ main: 1 })
    const out: Item[] = []
    for await (const p of store.pages('b', 'main')) out.push(...p)
    expect(out).toEqual([{ n: 1 }])
  })
})
