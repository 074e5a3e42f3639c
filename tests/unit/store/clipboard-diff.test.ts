import { describe, expect, it } from 'vitest'
import { copyFragment, instantiateFragment, parseFragment } from '@/lib/store/clipboard'
import { diffGraphs, isEmptyDiff } from '@/lib/store/diff'
import { normaliseGraph } from '@/lib/store/graph-ops'
import { chain } from './builders'

describe('clipboard', () => {
  const g = normaliseGraph(chain())
  it('copies selected nodes with the edges between them only', () => {
    const f = copyFragment(g, { nodeIds: ['b', 'c'] })
    expect(f.nodes.map((n) => n.id)).toEqual(['b', 'c'])
    expect(f.edges).toHaveLength(1)
  })

  it('pastes with fresh ids, unique names, offset and rewired edges', () => {
    const f = parseFragment(JSON.stringify(copyFragment(g, { nodeIds: ['b', 'c'] })))!
    const out = instantiateFragment(f, g, { x: 40, y: 40 })
    expect(out.nodes.map((n) => n.name)).toEqual(['Set 3', 'Set 4'])
    expect(out.nodes.every((n) => !g.nodes[n.id])).toBe(true)
    expect(out.nodes[0].position).toEqual({ x: 240, y: 40 })
    expect(out.edges).toHaveLength(1)
    expect(out.edges[0].source).toBe(out.nodes[0].id)
    expect(out.nodes[0].params).not.toBe(g.nodes.b.params)
  })

  it.each(['not json', '{"kind":"other","nodes":[]}', '[]', 'null'])('ignores foreign clipboard text %s', (text) => {
    expect(parseFragment(text)).toBeNull()
  })
})

describe('diffGraphs', () => {
  it('reports added, removed, moved, renamed and changed params', () => {
    const a = chain()
    const b = chain()
    b.nodes = b.nodes.filter((n) => n.id !== 'c')
    b.nodes[1] = { ...b.nodes[1], name: 'Set fields', position: { x: 250, y: 0 }, params: { fields: { x: 2 } } }
    b.nodes.push({ id: 'd', type: 'set', name: 'New' })
    b.edges = [{ source: 'a', target: 'b' }, { source: 'b', target: 'd' }]
    const d = diffGraphs(a, b)
    expect(d.added).toEqual([{ id: 'd', name: 'New' }])
    expect(d.removed).toEqual([{ id: 'c', name: 'Set 2' }])
    expect(d.moved.map((m) => m.id)).toEqual(['b'])
    expect(d.renamed).toEqual([{ id: 'b', from: 'Set', to: 'Set fields' }])
    expect(d.changed).toEqual([{ id: 'b', name: 'Set fields', fields: ['fields'] }])
    expect(d.edgesAdded).toEqual(['Set fields → New'])
    expect(d.edgesRemoved).toEqual(['Set fields → Set 2'])
  })

  it('ignores key order in params', () => {
    const a = chain()
    const b = chain()
    b.nodes[1] = { ...b.nodes[1], params: { fields: { x: 1 } } }
    a.nodes[1] = { ...a.nodes[1], params: { fields: { x: 1 } } }
    expect(isEmptyDiff(diffGraphs(a, b))).toBe(true)
  })
})
