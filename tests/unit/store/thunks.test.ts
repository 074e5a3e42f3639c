import { describe, expect, it } from 'vitest'
import {
  addNode, addNodeAfter, connect, copySelection, deleteSelection, duplicateSelection, graphLoaded, layoutGraph, makeStore, nodeTypesLoaded, pasteText,
  selectAll, selectionSet, undo, versionViewed,
} from '@/lib/store'
import { chain, types } from './builders'

function store() {
  const s = makeStore()
  s.dispatch(nodeTypesLoaded(Object.values(types).map((t) => ({ ...t, defaults: { fields: [] } }))))
  s.dispatch(graphLoaded(chain()))
  return s
}

describe('editor commands', () => {
  it('adds a node after the selected one, connected, with its defaults and a unique name', () => {
    const s = store()
    const id = s.dispatch(addNodeAfter('set', 'c'))!
    const g = s.getState().graph
    expect(g.nodes[id]).toMatchObject({ name: 'set', params: { fields: [] } })
    expect(g.edges[`c:main->${id}:main`]).toBeDefined()
    expect(s.getState().selection.nodeIds).toEqual([id])
  })

  it('refuses a cycle with a notice and accepts a valid connection', () => {
    const s = store()
    expect(s.dispatch(connect({ source: 'c', sourcePort: 'main', target: 'b', targetPort: 'main' }))).toBe(false)
    expect(s.getState().ui.notices.at(-1)?.text).toMatch(/cycle/)
    expect(s.dispatch(connect({ source: 'a', sourcePort: 'main', target: 'c', targetPort: 'main' }))).toBe(true)
  })

  it('copies and pastes the selection as new nodes, selecting them', () => {
    const s = store()
    s.dispatch(selectionSet({ nodeIds: ['b', 'c'] }))
    const f = s.dispatch(copySelection())!
    expect(s.dispatch(pasteText(JSON.stringify(f)))).toBe(true)
    const st = s.getState()
    expect(st.graph.nodeIds).toHaveLength(5)
    expect(st.selection.nodeIds.map((id) => st.graph.nodes[id].name)).toEqual(['Set 3', 'Set 4'])
    expect(s.dispatch(pasteText('hello'))).toBe(false)
  })

  it('duplicates, deletes and undoes', () => {
    const s = store()
    s.dispatch(selectionSet({ nodeIds: ['b'] }))
    s.dispatch(duplicateSelection())
    expect(s.getState().graph.nodeIds).toHaveLength(4)
    s.dispatch(selectAll())
    s.dispatch(deleteSelection())
    expect(s.getState().graph.nodeIds).toHaveLength(0)
    s.dispatch(undo())
    expect(s.getState().graph.nodeIds).toHaveLength(4)
  })

  it('lays out as one undo step', () => {
    const s = store()
    s.dispatch(layoutGraph())
    expect(s.getState().history.past).toHaveLength(1)
  })

  it('changes nothing while a version is open read-only', () => {
    const s = store()
    s.dispatch(versionViewed(1))
    const before = s.getState().graph
    s.dispatch(addNode('set', { x: 0, y: 0 }))
    s.dispatch(selectAll())
    s.dispatch(deleteSelection())
    expect(s.getState().graph).toBe(before)
  })
})
