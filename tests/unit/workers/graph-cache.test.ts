// The worker's cache of parsed graphs: one load per version however many runs ask at once, least recently used out
// first past the entry or byte budget, a graph larger than the budget not kept, a failed load not remembered.
import { describe, expect, it } from 'vitest'
import { GraphCache } from '../../../workers/runtime/graph-cache'

function counting(bytes: (id: string) => number = () => 10) {
  const loads: string[] = []
  const cache = (opts?: { maxEntries?: number; maxBytes?: number }) =>
    new GraphCache(async (id: string) => {
      loads.push(id)
      await new Promise((r) => setImmediate(r))
      if (id === 'missing') throw new Error(`no ${id}`)
      return { graph: { id }, bytes: bytes(id) }
    }, opts)
  return { loads, cache }
}

describe('GraphCache', () => {
  it('loads a version once however many runs ask for it together, then serves it from memory', async () => {
    const { loads, cache } = counting()
    const c = cache()
    const graphs = await Promise.all(Array.from({ length: 50 }, () => c.get('v1')))
    expect(new Set(graphs).size).toBe(1)
    expect(await c.get('v1')).toBe(graphs[0])
    expect(loads).toEqual(['v1'])
  })

  it('keeps 1,000 versions used round-robin (each loaded once), unlike a 500-entry cache', async () => {
    const { loads, cache } = counting()
    const c = cache()
    for (let round = 0; round < 3; round++) for (let i = 0; i < 1000; i++) await c.get(`v${i}`)
    expect(loads).toHaveLength(1000)
    expect(c.size).toEqual({ entries: 1000, bytes: 10_000 })
  })

  it('drops the least recently used past the entry budget', async () => {
    const { loads, cache } = counting()
    const c = cache({ maxEntries: 2 })
    await c.get('a')
    await c.get('b')
    await c.get('a') // a is now the most recent
    await c.get('c') // b goes
    await c.get('a')
    await c.get('b')
    expect(loads).toEqual(['a', 'b', 'c', 'b'])
    expect(c.size.entries).toBe(2)
  })

  it('drops by size past the byte budget, and never keeps a graph larger than the budget', async () => {
    const { loads, cache } = counting((id) => (id === 'huge' ? 1000 : 40))
    const c = cache({ maxBytes: 100 })
    await c.get('a')
    await c.get('b')
    await c.get('c') // 120 bytes: a goes
    expect(c.size).toEqual({ entries: 2, bytes: 80 })
    await c.get('huge')
    await c.get('huge')
    expect(c.size).toEqual({ entries: 2, bytes: 80 })
    expect(loads).toEqual(['a', 'b', 'c', 'huge', 'huge'])
  })

  it('does not remember a failed load: the next run tries again', async () => {
    const { loads, cache } = counting()
    const c = cache()
    await expect(c.get('missing')).rejects.toThrow('no missing')
    await expect(c.get('missing')).rejects.toThrow('no missing')
    expect(loads).toEqual(['missing', 'missing'])
  })
})
