import { describe, expect, it } from 'vitest'
import {
  addNode, addNodeAfter, addNodeNextToSelection, copySelection, duplicateSelection, graphLoaded, insertNodeOnEdge, makeStore, nodeTypesLoaded,
  pasteText, quickAddChosen, quickAddOpenedFor, redo, selectionSet, undo, versionViewed,
} from '@/lib/store'
import { freeInColumn, freeNear, GAP_X, obstacles, overlaps, type Rect } from '@/lib/store/placement'
import type { GraphState } from '@/lib/store/types'
import { chain, types } from './builders'

function store(graph = spaced()) {
  const s = makeStore()
  s.dispatch(nodeTypesLoaded(Object.values(types)))
  s.dispatch(graphLoaded(graph))
  return s
}

/** a(manual) → b(set) → c(set), one free column apart */
const spaced = () => {
  const g = chain()
  g.nodes!.forEach((n, i) => (n.position = { x: i * 320, y: 0 }))
  return g
}

/** a(manual) → i(if); i:true → t(set); i:false → f(set) */
const branching = () => ({
  nodes: [
    { id: 'a', type: 'manual', name: 'Start', position: { x: 0, y: 0 } },
    { id: 'i', type: 'if', name: 'If', position: { x: 320, y: 0 } },
  ],
  edges: [{ source: 'a', target: 'i' }],
  notes: [{ id: 'note', text: 'read me', position: { x: 640, y: 200 }, width: 240, height: 160 }],
})

/** Every pair of nodes and notes, as placement sees them. */
function overlapping(g: GraphState): string[] {
  const ids = [...g.nodeIds, ...g.noteIds]
  const rects = obstacles(g, {})
  const found: string[] = []
  rects.forEach((a, i) => rects.slice(i + 1).forEach((b, j) => overlaps(a, b) && found.push(`${ids[i]} × ${ids[i + 1 + j]}`)))
  return found
}

const edgesOf = (g: GraphState) => g.edgeIds.map((id) => g.edges[id]).map((e) => `${e.source}:${e.sourcePort}->${e.target}:${e.targetPort}`)

describe('free spots', () => {
  const box = (x: number, y: number, width = 100, height = 50): Rect => ({ x, y, width, height })

  it('keeps a free spot, and otherwise moves straight down or up to the nearest gap', () => {
    expect(freeNear({ x: 0, y: 0 }, box(0, 0), [box(300, 0)])).toEqual({ x: 0, y: 0 })
    expect(freeInColumn({ x: 0, y: 10 }, box(0, 0), [box(0, 0)])).toEqual({ x: 0, y: 70 })
    expect(freeInColumn({ x: 0, y: -10 }, box(0, 0), [box(0, 0)])).toEqual({ x: 0, y: -70 })
    // The gap between two obstacles is taken only when the box fits with clearance on both sides.
    expect(freeInColumn({ x: 0, y: 60 }, box(0, 0), [box(0, 0), box(0, 120)])).toEqual({ x: 0, y: 190 })
    expect(freeInColumn({ x: 0, y: 60 }, box(0, 0), [box(0, 0), box(0, 160)])).toEqual({ x: 0, y: 70 })
    expect(freeInColumn({ x: 0, y: 10 }, box(0, 0), [box(0, 0), box(0, 100)], { downOnly: true })).toEqual({ x: 0, y: 170 })
  })

  it('moves sideways when that is nearer than up or down', () => {
    const tall = box(0, -500, 100, 1000)
    expect(freeNear({ x: 10, y: 0 }, box(0, 0), [tall])).toEqual({ x: 120, y: 0 })
  })
})

describe('placing new nodes', () => {
  it('never stacks nodes dropped or added at one spot', () => {
    const s = store()
    for (let i = 0; i < 8; i++) expect(s.dispatch(addNode('set', { x: 200, y: 0 }))).toBeTruthy()
    expect(s.getState().graph.nodeIds).toHaveLength(11)
    expect(overlapping(s.getState().graph)).toEqual([])
  })

  it('adds after the selected node in its row, then below the nodes already on that port, all connected', () => {
    const s = store()
    s.dispatch(selectionSet({ nodeIds: ['c'] }))
    const first = s.dispatch(addNodeNextToSelection('set', { x: 0, y: 0 }))!
    const c = s.getState().graph.nodes.c.position
    expect(s.getState().graph.nodes[first].position).toEqual({ x: c.x + 220 + GAP_X, y: c.y })
    const ids = [first]
    for (let i = 0; i < 4; i++) {
      s.dispatch(selectionSet({ nodeIds: ['c'] }))
      ids.push(s.dispatch(addNodeNextToSelection('set', { x: 0, y: 0 }))!)
    }
    const g = s.getState().graph
    const ys = ids.map((id) => g.nodes[id].position.y)
    expect(ys).toEqual([...ys].sort((a, b) => a - b))
    expect(new Set(ids.map((id) => g.nodes[id].position.x)).size).toBe(1)
    for (const id of ids) expect(g.edges[`c:main->${id}:main`]).toBeDefined()
    expect(overlapping(g)).toEqual([])
  })

  it('fans the branches of an If out around its row, one column right, below siblings on the same port', () => {
    const s = store(branching())
    const t = s.dispatch(addNodeAfter('set', 'i', 'true'))!
    const f = s.dispatch(addNodeAfter('set', 'i', 'false'))!
    const f2 = s.dispatch(addNodeAfter('set', 'i', 'false'))!
    const g = s.getState().graph
    const [pt, pf, pf2] = [t, f, f2].map((id) => g.nodes[id].position)
    expect(pt.x).toBe(320 + 220 + GAP_X)
    expect(pf.x).toBe(pt.x)
    expect(pt.y).toBeLessThan(0)
    expect(pf.y).toBeGreaterThan(0)
    expect(pf2.y).toBeGreaterThan(pf.y)
    expect(edgesOf(g)).toEqual(expect.arrayContaining([`i:true->${t}:main`, `i:false->${f}:main`, `i:false->${f2}:main`]))
    expect(overlapping(g)).toEqual([])
  })

  it('inserts into an edge: reconnects both sides and moves the downstream nodes right when there is no room', () => {
    const s = store() // a(0) → b(320) → c(640): 100 px between nodes, less than a node needs
    const before = s.getState().graph
    const id = s.dispatch(insertNodeOnEdge('set', 'a:main->b:main'))!
    const g = s.getState().graph
    expect(edgesOf(g).sort()).toEqual([`${id}:main->b:main`, `a:main->${id}:main`, 'b:main->c:main'].sort())
    expect(g.nodes[id].position).toEqual({ x: 220 + GAP_X, y: 0 })
    expect(g.nodes.b.position.x).toBeGreaterThanOrEqual(g.nodes[id].position.x + 220 + GAP_X)
    expect(g.nodes.c.position.x - g.nodes.b.position.x).toBe(before.nodes.c.position.x - before.nodes.b.position.x)
    expect(g.nodes.a.position).toEqual(before.nodes.a.position)
    s.dispatch(insertNodeOnEdge('set', `a:main->${id}:main`))
    s.dispatch(insertNodeOnEdge('set', 'b:main->c:main'))
    expect(overlapping(s.getState().graph)).toEqual([])
    expect(s.getState().graph.edgeIds).toHaveLength(5) // six nodes in one chain
  })

  it('inserts out of the output named like the edge\'s port, into a branch', () => {
    const s = store(branching())
    const f = s.dispatch(addNodeAfter('set', 'i', 'false'))!
    const id = s.dispatch(insertNodeOnEdge('if', `i:false->${f}:main`))!
    expect(edgesOf(s.getState().graph)).toEqual(expect.arrayContaining([`i:false->${id}:main`, `${id}:false->${f}:main`]))
    expect(s.dispatch(insertNodeOnEdge('manual', `i:false->${id}:main`))).toBeNull()
    expect(s.getState().ui.notices.at(-1)?.text).toMatch(/needs an input/)
  })

  it('pastes and duplicates clear of the originals', () => {
    const s = store()
    s.dispatch(selectionSet({ nodeIds: ['b', 'c'] }))
    const f = JSON.stringify(s.dispatch(copySelection()))
    for (let i = 0; i < 3; i++) s.dispatch(pasteText(f))
    s.dispatch(selectionSet({ nodeIds: ['a'] }))
    for (let i = 0; i < 3; i++) s.dispatch(duplicateSelection())
    const g = s.getState().graph
    expect(g.nodeIds).toHaveLength(3 + 6 + 3)
    expect(overlapping(g)).toEqual([])
  })

  it('keeps clear of sticky notes', () => {
    const s = store(branching())
    for (let i = 0; i < 4; i++) s.dispatch(addNode('set', { x: 650, y: 210 }))
    expect(overlapping(s.getState().graph)).toEqual([])
  })
})

describe('an addition is one undo step', () => {
  it.each([
    ['a node after a port', (s: ReturnType<typeof store>) => s.dispatch(addNodeAfter('set', 'c'))],
    ['a node inserted into an edge', (s: ReturnType<typeof store>) => s.dispatch(insertNodeOnEdge('set', 'a:main->b:main'))],
    ['a dropped node', (s: ReturnType<typeof store>) => s.dispatch(addNode('set', { x: 0, y: 0 }))],
  ])('%s', (_name, add) => {
    const s = store()
    const before = s.getState().graph
    add(s)
    const after = s.getState().graph
    expect(s.getState().history.past).toHaveLength(1)
    s.dispatch(undo())
    expect(s.getState().graph).toBe(before)
    s.dispatch(redo())
    expect(s.getState().graph).toBe(after)
  })
})

describe('quick-add targets', () => {
  it('adds on the port or into the edge it was opened for', () => {
    const s = store(branching())
    s.dispatch(quickAddOpenedFor({ kind: 'port', nodeId: 'i', port: 'false' }))
    expect(s.getState().ui.quickAddOpen).toBe(true)
    const f = s.dispatch(quickAddChosen('set', { x: 0, y: 0 }))!
    expect(s.getState().graph.edges[`i:false->${f}:main`]).toBeDefined()
    s.dispatch(quickAddOpenedFor({ kind: 'edge', edgeId: 'a:main->i:main' }))
    const mid = s.dispatch(quickAddChosen('set', { x: 0, y: 0 }))!
    expect(edgesOf(s.getState().graph)).toEqual(expect.arrayContaining([`a:main->${mid}:main`, `${mid}:main->i:main`]))
  })

  it('does not open on a version viewed read-only', () => {
    const s = store(branching())
    s.dispatch(versionViewed(1))
    s.dispatch(quickAddOpenedFor({ kind: 'port', nodeId: 'i', port: 'true' }))
    expect(s.getState().ui.quickAddOpen).toBe(false)
    expect(s.dispatch(addNodeAfter('set', 'i', 'true'))).toBeNull()
  })
})
