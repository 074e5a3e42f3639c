// Editor commands shared by the canvas, palette, quick-add and keyboard shortcuts.
import type { AppDispatch, RootState } from './index'
import { copyFragment, instantiateFragment, parseFragment, type Fragment } from './clipboard'
import { elementsRemoved, nodesAdded, nodesMoved, edgeAdded } from './graph-slice'
import { autoLayout, connectionProblem, createNode, newId, NODE_HEIGHT, NODE_WIDTH } from './graph-ops'
import { checkpoint } from './history'
import { selectionSet } from './selection-slice'
import { noticeShown } from './ui-slice'

type Thunk<R = void> = (dispatch: AppDispatch, getState: () => RootState) => R

const readOnly = (s: RootState) => s.ui.viewingVersion !== null

/** Adds a node of `type` at `position`; when `connectFrom` is given, wires its first output to the new node. */
export const addNode = (type: string, position: { x: number; y: number }, connectFrom?: string): Thunk<string | null> => (dispatch, getState) => {
  const s = getState()
  const t = s.ui.nodeTypes[type]
  if (!t || readOnly(s)) return null
  const node = createNode(t, position, s.graph.nodeIds.map((id) => s.graph.nodes[id].name), structuredClone(t.defaults ?? {}))
  dispatch(nodesAdded({ nodes: [node] }))
  if (connectFrom && s.graph.nodes[connectFrom]) {
    const from = s.graph.nodes[connectFrom]
    const port = s.ui.nodeTypes[from.type]?.outputs[0]?.name ?? 'main'
    const c = { source: connectFrom, sourcePort: port, target: node.id, targetPort: t.inputs[0]?.name ?? 'main' }
    if (!connectionProblem(getState().graph, c, s.ui.nodeTypes)) dispatch(edgeAdded(c))
  }
  dispatch(selectionSet({ nodeIds: [node.id] }))
  return node.id
}

/** Where quick-add puts a node: right of the selected node, or at `fallback`. */
export const placementAfter = (s: RootState, fallback: { x: number; y: number }) => {
  const selected = s.selection.nodeIds.length === 1 ? s.graph.nodes[s.selection.nodeIds[0]] : undefined
  if (!selected) return { position: fallback, connectFrom: undefined }
  const w = s.ui.measured[selected.id]?.width ?? NODE_WIDTH
  return { position: { x: selected.position.x + w + 80, y: selected.position.y }, connectFrom: selected.id }
}

export const addNote = (position: { x: number; y: number }): Thunk => (dispatch, getState) => {
  if (readOnly(getState())) return
  const id = newId('note')
  dispatch(nodesAdded({ nodes: [], notes: [{ id, text: '', position, width: 240, height: 140, color: 'yellow' }] }))
  dispatch(selectionSet({ noteIds: [id] }))
}

export const deleteSelection = (): Thunk => (dispatch, getState) => {
  const s = getState()
  if (readOnly(s)) return
  const { nodeIds, edgeIds, noteIds } = s.selection
  if (!nodeIds.length && !edgeIds.length && !noteIds.length) return
  dispatch(elementsRemoved({ nodeIds, edgeIds, noteIds }))
  dispatch(selectionSet({}))
}

export const selectAll = (): Thunk => (dispatch, getState) => {
  const g = getState().graph
  dispatch(selectionSet({ nodeIds: [...g.nodeIds], noteIds: [...g.noteIds] }))
}

export const copySelection = (): Thunk<Fragment | null> => (_dispatch, getState) => {
  const s = getState()
  if (!s.selection.nodeIds.length && !s.selection.noteIds.length) return null
  return copyFragment(s.graph, s.selection)
}

/** Pastes a fragment (clipboard text); pasted elements become the selection. Returns false for foreign text. */
export const pasteText = (text: string, offset = { x: 40, y: 40 }): Thunk<boolean> => (dispatch, getState) => {
  const s = getState()
  const f = parseFragment(text)
  if (!f || readOnly(s)) return false
  const { nodes, edges, notes } = instantiateFragment(f, s.graph, offset)
  dispatch(nodesAdded({ nodes, edges, notes }))
  dispatch(selectionSet({ nodeIds: nodes.map((n) => n.id), noteIds: notes.map((n) => n.id) }))
  return true
}

export const duplicateSelection = (): Thunk => (dispatch) => {
  const f = dispatch(copySelection())
  if (f) dispatch(pasteText(JSON.stringify(f)))
}

export const layoutGraph = (): Thunk => (dispatch, getState) => {
  const s = getState()
  if (readOnly(s) || s.graph.nodeIds.length === 0) return
  dispatch(nodesMoved({ positions: autoLayout(s.graph, s.ui.measured) }))
  dispatch(checkpoint())
}

/** Connects two ports, or explains why not. */
export const connect = (c: { source: string; sourcePort: string; target: string; targetPort: string }): Thunk<boolean> => (dispatch, getState) => {
  const s = getState()
  if (readOnly(s)) return false
  const problem = connectionProblem(s.graph, c, s.ui.nodeTypes)
  if (problem) {
    dispatch(noticeShown('error', `Connection refused: ${problem}`))
    return false
  }
  dispatch(edgeAdded(c))
  return true
}

export { NODE_HEIGHT }
