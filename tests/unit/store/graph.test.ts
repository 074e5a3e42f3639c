import { describe, expect, it } from 'vitest'
import { edgeAdded, graphLoaded, makeStore, nodesAdded, paramChanged, settingChanged, selectionToggled } from '@/lib/store'
import { ancestors, autoLayout, connectionProblem, normaliseGraph, toWorkflowGraph, uniqueName, wouldCreateCycle } from '@/lib/store/graph-ops'
import { makeFlowSelectors } from '@/lib/store/selectors'
import { chain, types } from './builders'

describe('graph reducers', () => {
  it('normalises and round-trips a graph', () => {
    const g = normaliseGraph(chain())
    expect(g.nodeIds).toEqual(['a', 'b', 'c'])
    expect(g.edgeIds).toEqual(['a:main->b:main', 'b:main->c:main'])
    expect(toWorkflowGraph(g).edges[0]).toEqual({ id: 'a:main->b:main', source: 'a', sourcePort: 'main', target: 'b', targetPort: 'main' })
  })

  it('lays out a graph whose nodes have no positions (written through the API), and keeps given positions', () => {
    const bare = { nodes: ['t', 's', 'r'].map((id) => ({ id, type: 'set', name: id })), edges: [{ source: 't', target: 's' }, { source: 's', target: 'r' }] }
    const g = normaliseGraph(bare)
    const xs = g.nodeIds.map((id) => g.nodes[id].position.x)
    expect(new Set(xs).size).toBe(3)
    expect(xs).toEqual([...xs].sort((a, b) => a - b)) // left to right along the edges
    const placed = normaliseGraph({ nodes: [{ id: 'a', type: 'set', name: 'a', position: { x: 5, y: 6 } }, { id: 'b', type: 'set', name: 'b', position: { x: 300, y: 6 } }] })
    expect(placed.nodes.a.position).toEqual({ x: 5, y: 6 })
    expect(placed.nodes.b.position).toEqual({ x: 300, y: 6 })
  })

  it('adds an edge once and ignores edges to missing nodes', () => {
    const store = makeStore()
    store.dispatch(graphLoaded(chain()))
    store.dispatch(edgeAdded({ source: 'a', sourcePort: 'main', target: 'c', targetPort: 'main' }))
    store.dispatch(edgeAdded({ source: 'a', sourcePort: 'main', target: 'c', targetPort: 'main' }))
    store.dispatch(edgeAdded({ source: 'a', sourcePort: 'main', target: 'zz', targetPort: 'main' }))
    expect(store.getState().graph.edgeIds).toHaveLength(3)
  })

  it('sets and clears params and settings', () => {
    const store = makeStore()
    store.dispatch(graphLoaded(chain()))
    store.dispatch(paramChanged({ id: 'b', key: 'mode', value: 'raw' }))
    store.dispatch(settingChanged({ id: 'b', key: 'maxAttempts', value: 3 }))
    expect(store.getState().graph.nodes.b.params).toEqual({ fields: { x: 1 }, mode: 'raw' })
    store.dispatch(paramChanged({ id: 'b', key: 'mode', value: undefined }))
    expect(store.getState().graph.nodes.b.params).not.toHaveProperty('mode')
    expect(store.getState().graph.nodes.b.settings.maxAttempts).toBe(3)
  })

  it('adds nodes with edges among them', () => {
    const store = makeStore()
    store.dispatch(nodesAdded({
      nodes: [{ id: 'x', type: 'set', typeVersion: 1, name: 'X', params: {}, settings: {}, position: { x: 0, y: 0 } }],
      edges: [{ id: 'e', source: 'x', sourcePort: 'main', target: 'missing', targetPort: 'main' }],
    }))
    expect(store.getState().graph.nodeIds).toEqual(['x'])
    expect(store.getState().graph.edgeIds).toEqual([])
  })
})

describe('connection rules', () => {
  const g = normaliseGraph(chain())
  it.each([
    ['c', 'a', 'main', /trigger/],
    ['c', 'b', 'main', /cycle/],
    ['b', 'b', 'main', /itself/],
    ['a', 'b', 'main', /already connected/],
    ['a', 'c', 'other', /no input "other"/],
    ['a', 'c', 'main', null],
  ])('%s → %s (%s)', (source, target, targetPort, expected) => {
    const reason = connectionProblem(g, { source, target, targetPort, sourcePort: 'main' }, types)
    if (expected === null) expect(reason).toBeNull()
    else expect(reason).toMatch(expected)
  })

  it.each([
    ['the end of the loop body back into the loop node', 'y', null],
    ['a node after "done" back into the loop node', 'z', /cycle.*Only the nodes after its "loop" output/],
  ])('a loop node accepts %s and refuses the rest', (_label, source, expected) => {
    // a → l(loop); l.loop → x → y; l.done → z
    const looped = normaliseGraph({
      nodes: [{ id: 'a', type: 'manual', name: 'Start' }, { id: 'l', type: 'loop', name: 'Loop' }, ...['x', 'y', 'z'].map((id) => ({ id, type: 'set', name: id }))],
      edges: [{ source: 'a', target: 'l' }, { source: 'l', sourcePort: 'loop', target: 'x' }, { source: 'x', target: 'y' }, { source: 'l', sourcePort: 'done', target: 'z' }],
    })
    const reason = connectionProblem(looped, { source, target: 'l', sourcePort: 'main', targetPort: 'main' }, types)
    if (expected === null) expect(reason).toBeNull()
    else expect(reason).toMatch(expected)
    // Other cycles inside the body stay refused.
    expect(connectionProblem(looped, { source: 'y', target: 'x', sourcePort: 'main', targetPort: 'main' }, types)).toMatch(/cycle/)
  })

  it('detects cycles through longer paths', () => {
    expect(wouldCreateCycle(g, 'c', 'a')).toBe(true)
    expect(wouldCreateCycle(g, 'a', 'c')).toBe(false)
  })

  it('lists ancestors nearest first', () => {
    expect(ancestors(g, 'c')).toEqual(['b', 'a'])
  })
})

describe('helpers', () => {
  it.each([
    ['Set', [], 'Set'],
    ['Set', ['Set'], 'Set 2'],
    ['Set', ['Set', 'Set 2'], 'Set 3'],
    ['Set 2', ['Set', 'Set 2'], 'Set 3'],
  ])('uniqueName(%s, %j) = %s', (base, taken, expected) => {
    expect(uniqueName(base, taken)).toBe(expected)
  })

  it('lays out left to right in topological order', () => {
    const pos = autoLayout(normaliseGraph(chain()))
    expect(pos.a.x).toBeLessThan(pos.b.x)
    expect(pos.b.x).toBeLessThan(pos.c.x)
  })
})

describe('flow selectors', () => {
  it('reuses unchanged React Flow node objects and derives selection', () => {
    const store = makeStore()
    store.dispatch(graphLoaded(chain()))
    const { selectFlowNodes, selectFlowEdges } = makeFlowSelectors()
    const first = selectFlowNodes(store.getState())
    store.dispatch(selectionToggled([{ kind: 'node', id: 'b', selected: true }]))
    const second = selectFlowNodes(store.getState())
    expect(second[0]).toBe(first[0])
    expect(second[1]).not.toBe(first[1])
    expect(second[1].selected).toBe(true)
    expect(selectFlowEdges(store.getState())).toHaveLength(2)
  })
})
