import { describe, expect, it } from 'vitest'
import { checkpoint, editorRestored, graphLoaded, makeStore, markSaved, nodeRenamed, nodesMoved, paramChanged, redo, undo, elementsRemoved } from '@/lib/store'
import { selectCanRedo, selectCanUndo, selectIsDirty } from '@/lib/store/selectors'
import { chain } from './builders'

function loaded() {
  const store = makeStore()
  store.dispatch(graphLoaded(chain()))
  return store
}

describe('undo history', () => {
  it('loading resets history and is not dirty', () => {
    const store = loaded()
    expect(selectCanUndo(store.getState())).toBe(false)
    expect(selectIsDirty(store.getState())).toBe(false)
  })

  it('undoes and redoes a rename', () => {
    const store = loaded()
    store.dispatch(nodeRenamed({ id: 'b', name: 'Renamed' }))
    expect(selectIsDirty(store.getState())).toBe(true)
    store.dispatch(undo())
    expect(store.getState().graph.nodes.b.name).toBe('Set')
    expect(selectIsDirty(store.getState())).toBe(false)
    expect(selectCanRedo(store.getState())).toBe(true)
    store.dispatch(redo())
    expect(store.getState().graph.nodes.b.name).toBe('Renamed')
  })

  it('groups a drag into one undo step', () => {
    const store = loaded()
    for (let x = 1; x <= 30; x++) store.dispatch(nodesMoved({ positions: { b: { x, y: x } }, group: 'drag:1' }))
    store.dispatch(checkpoint())
    expect(store.getState().history.past).toHaveLength(1)
    store.dispatch(undo())
    expect(store.getState().graph.nodes.b.position).toEqual({ x: 200, y: 0 })
  })

  it('a checkpoint splits two gestures of the same group', () => {
    const store = loaded()
    store.dispatch(paramChanged({ id: 'b', key: 'v', value: 'a', group: 'p:b:v' }))
    store.dispatch(paramChanged({ id: 'b', key: 'v', value: 'ab', group: 'p:b:v' }))
    store.dispatch(checkpoint())
    store.dispatch(paramChanged({ id: 'b', key: 'v', value: 'abc', group: 'p:b:v' }))
    expect(store.getState().history.past).toHaveLength(2)
    store.dispatch(undo())
    expect(store.getState().graph.nodes.b.params.v).toBe('ab')
  })

  it('a new change clears the redo stack', () => {
    const store = loaded()
    store.dispatch(nodeRenamed({ id: 'b', name: 'X' }))
    store.dispatch(undo())
    store.dispatch(nodeRenamed({ id: 'c', name: 'Y' }))
    expect(selectCanRedo(store.getState())).toBe(false)
  })

  it('deleting a node removes its edges, and undo brings both back', () => {
    const store = loaded()
    store.dispatch(elementsRemoved({ nodeIds: ['b'] }))
    expect(store.getState().graph.edgeIds).toHaveLength(0)
    store.dispatch(undo())
    expect(store.getState().graph.edgeIds).toHaveLength(2)
    expect(store.getState().graph.nodeIds).toEqual(['a', 'b', 'c'])
  })

  it('markSaved makes the current graph the clean one', () => {
    const store = loaded()
    store.dispatch(nodeRenamed({ id: 'b', name: 'X' }))
    store.dispatch(markSaved())
    expect(selectIsDirty(store.getState())).toBe(false)
    store.dispatch(undo())
    expect(selectIsDirty(store.getState())).toBe(true)
  })

  it('markSaved with the graph sent leaves an edit made during the write unsaved', () => {
    const store = loaded()
    store.dispatch(nodeRenamed({ id: 'b', name: 'Sent' }))
    const sent = store.getState().graph
    store.dispatch(nodeRenamed({ id: 'b', name: 'Typed during the write' }))
    store.dispatch(markSaved(sent))
    expect(selectIsDirty(store.getState())).toBe(true)
    store.dispatch(markSaved(store.getState().graph))
    expect(selectIsDirty(store.getState())).toBe(false)
  })

  it('undo with nothing to undo keeps the state object', () => {
    const store = loaded()
    const before = store.getState()
    store.dispatch(undo())
    expect(store.getState()).toBe(before)
  })

  it('restores a stashed graph with its history (leaving a version view)', () => {
    const store = loaded()
    store.dispatch(nodeRenamed({ id: 'b', name: 'Mine' }))
    const stash = { graph: store.getState().graph, history: store.getState().history }
    store.dispatch(graphLoaded({ nodes: [] }))
    store.dispatch(editorRestored(stash))
    expect(store.getState().graph.nodes.b.name).toBe('Mine')
    expect(selectIsDirty(store.getState())).toBe(true)
    store.dispatch(undo())
    expect(store.getState().graph.nodes.b.name).toBe('Set')
  })
})
