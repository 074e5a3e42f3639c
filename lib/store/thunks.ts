// Editor commands shared by the canvas, palette, quick-add and keyboard shortcuts.
import type { AppDispatch, RootState } from './index'
import { copyFragment, instantiateFragment, parseFragment, type Fragment } from './clipboard'
import { elementsRemoved, nodesAdded, nodesMoved, edgeAdded } from './graph-slice'
import { autoLayout, connectionProblem, createNode, edgeId, newId } from './graph-ops'
import { estimatedSize, freeNear, freeShift, obstacles, placeAfterPort, placeOnEdge, type XY } from './placement'
import { outputPorts } from './ports'
import type { EditorEdge, EditorNode, EditorNote, GraphState, NodeTypeInfo } from './types'
import { checkpoint } from './history'
import { selectionSet } from './selection-slice'
import { noticeShown } from './ui-slice'

type Thunk<R = void> = (dispatch: AppDispatch, getState: () => RootState) => R

const readOnly = (s: RootState) => s.ui.viewingVersion !== null

type EdgeSpec = Omit<EditorEdge, 'id'>

interface Addition {
  position: XY
  /** The edges to draw, given the new node's id; each is checked (connectionProblem) on the graph as it grows. */
  edges?: (id: string) => EdgeSpec[]
  /** An edge the new node replaces (insert into an edge). */
  replaces?: string
  /** Nodes and notes moved to make room. */
  moved?: Record<string, XY>
}

/** One addition as one undo step: the removed edge, the moves, the node and its edges share a history group. */
const commitAddition = (t: NodeTypeInfo, a: Addition): Thunk<string> => (dispatch, getState) => {
  const s = getState()
  const node = createNode(t, a.position, s.graph.nodeIds.map((id) => s.graph.nodes[id].name), structuredClone(t.defaults ?? {}))
  const group = `add:${node.id}`
  if (a.replaces) dispatch(elementsRemoved({ edgeIds: [a.replaces], group }))
  if (a.moved && Object.keys(a.moved).length) dispatch(nodesMoved({ positions: a.moved, group }))
  const g = getState().graph
  let grown: GraphState = { ...g, nodes: { ...g.nodes, [node.id]: node }, nodeIds: [...g.nodeIds, node.id] }
  const edges: EditorEdge[] = []
  for (const spec of a.edges?.(node.id) ?? []) {
    if (connectionProblem(grown, spec, s.ui.nodeTypes)) continue
    const e = { ...spec, id: edgeId(spec) }
    edges.push(e)
    grown = { ...grown, edges: { ...grown.edges, [e.id]: e }, edgeIds: [...grown.edgeIds, e.id] }
  }
  dispatch(nodesAdded({ nodes: [node], edges, group }))
  dispatch(checkpoint())
  dispatch(selectionSet({ nodeIds: [node.id] }))
  return node.id
}

const addable = (s: RootState, type: string) => (readOnly(s) ? undefined : s.ui.nodeTypes[type])

/** Adds an unconnected node of `type` at the free spot nearest `near` (a drop point, the middle of the view). */
export const addNode = (type: string, near: XY): Thunk<string | null> => (dispatch, getState) => {
  const s = getState()
  const t = addable(s, type)
  if (!t) return null
  return dispatch(commitAddition(t, { position: freeNear(near, estimatedSize(t), obstacles(s.graph, s.ui.measured)) }))
}

const outputNames = (g: GraphState, types: Record<string, NodeTypeInfo>, nodeId: string) => {
  const used = [...new Set(g.edgeIds.map((id) => g.edges[id]).filter((e) => e.source === nodeId).map((e) => e.sourcePort))]
  return outputPorts(g.nodes[nodeId], types[g.nodes[nodeId].type], used).map((p) => p.name)
}

/** Adds a node after `nodeId`'s output `port` (default: its first), right of it and below nodes already on that port, connected. */
export const addNodeAfter = (type: string, nodeId: string, port?: string): Thunk<string | null> => (dispatch, getState) => {
  const s = getState()
  const t = addable(s, type)
  if (!t || !s.graph.nodes[nodeId]) return null
  const ports = outputNames(s.graph, s.ui.nodeTypes, nodeId)
  const sourcePort = port ?? ports[0] ?? 'main'
  const position = placeAfterPort({ g: s.graph, sizes: s.ui.measured, source: nodeId, port: sourcePort, ports, size: estimatedSize(t) })
  return dispatch(commitAddition(t, { position, edges: (id) => [{ source: nodeId, sourcePort, target: id, targetPort: t.inputs[0]?.name ?? 'main' }] }))
}

/** Palette click and Tab: after the one selected node, else at the free spot nearest `fallback`. */
export const addNodeNextToSelection = (type: string, fallback: XY): Thunk<string | null> => (dispatch, getState) => {
  const sel = getState().selection.nodeIds
  return sel.length === 1 ? dispatch(addNodeAfter(type, sel[0])) : dispatch(addNode(type, fallback))
}

/**
 * Inserts a node into an edge: source → new node (its first input) → target (out of the new node's output of the
 * same name as the edge's source port, else its first). Nodes from the target's column rightwards move right when
 * there is no room.
 */
export const insertNodeOnEdge = (type: string, edgeIdToSplit: string): Thunk<string | null> => (dispatch, getState) => {
  const s = getState()
  const t = addable(s, type)
  const e = s.graph.edges[edgeIdToSplit]
  if (!t || !e) return null
  if (!t.inputs.length || !t.outputs.length || t.trigger) {
    dispatch(noticeShown('error', `"${t.label}" cannot go between two nodes: it needs an input and an output.`))
    return null
  }
  const out = t.outputs.find((p) => p.name === e.sourcePort)?.name ?? t.outputs[0].name
  const { position, moved } = placeOnEdge(s.graph, s.ui.measured, e, estimatedSize(t))
  return dispatch(commitAddition(t, {
    position,
    moved,
    replaces: e.id,
    edges: (id) => [
      { source: e.source, sourcePort: e.sourcePort, target: id, targetPort: t.inputs[0].name },
      { source: id, sourcePort: out, target: e.target, targetPort: e.targetPort },
    ],
  }))
}

/** What quick-add does with the chosen type: add at its target (a port, an edge), else next to the selection. */
export const quickAddChosen = (type: string, fallback: XY): Thunk<string | null> => (dispatch, getState) => {
  const target = getState().ui.quickAddTarget
  if (target?.kind === 'port') return dispatch(addNodeAfter(type, target.nodeId, target.port))
  if (target?.kind === 'edge') return dispatch(insertNodeOnEdge(type, target.edgeId))
  return dispatch(addNodeNextToSelection(type, fallback))
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

/** Moves pasted elements (together) to the free spot nearest where they were put. */
function clearOfEverything<F extends { nodes: EditorNode[]; edges: EditorEdge[]; notes: EditorNote[] }>(f: F, s: RootState): F {
  const rects = [
    ...f.nodes.map((n) => ({ ...n.position, ...estimatedSize(s.ui.nodeTypes[n.type]) })),
    ...f.notes.map((n) => ({ ...n.position, width: n.width, height: n.height })),
  ]
  const d = freeShift(rects, obstacles(s.graph, s.ui.measured))
  if (!d.x && !d.y) return f
  const move = <T extends { position: XY }>(el: T): T => ({ ...el, position: { x: el.position.x + d.x, y: el.position.y + d.y } })
  return { ...f, nodes: f.nodes.map(move), notes: f.notes.map(move) }
}

/** Pastes a fragment (clipboard text); pasted elements become the selection. Returns false for foreign text. */
export const pasteText = (text: string, offset = { x: 40, y: 40 }): Thunk<boolean> => (dispatch, getState) => {
  const s = getState()
  const f = parseFragment(text)
  if (!f || readOnly(s)) return false
  const { nodes, edges, notes } = clearOfEverything(instantiateFragment(f, s.graph, offset), s)
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

