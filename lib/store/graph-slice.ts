// The undoable part of the editor: nodes, edges and sticky notes. Every reducer here is recorded by history.ts;
// `group` in a payload merges consecutive actions of one gesture (a drag, typing in one field) into one undo step.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { edgeId, normaliseGraph } from './graph-ops'
import { emptyGraph, type EditorEdge, type EditorNode, type EditorNote, type GraphState } from './types'

type Grouped<T> = T & { group?: string }
type XY = { x: number; y: number }

function removeNodeIds(state: GraphState, ids: Set<string>) {
  if (ids.size === 0) return
  for (const id of ids) {
    delete state.nodes[id]
    if (state.pinData) delete state.pinData[id]
  }
  state.nodeIds = state.nodeIds.filter((id) => !ids.has(id))
  const dropEdges = state.edgeIds.filter((e) => ids.has(state.edges[e].source) || ids.has(state.edges[e].target))
  removeEdgeIds(state, new Set(dropEdges))
}

function removeEdgeIds(state: GraphState, ids: Set<string>) {
  if (ids.size === 0) return
  for (const id of ids) delete state.edges[id]
  state.edgeIds = state.edgeIds.filter((id) => !ids.has(id))
}

export const graphSlice = createSlice({
  name: 'graph',
  initialState: emptyGraph,
  reducers: {
    /** Replaces the whole graph (open a workflow or a version). Resets undo history. */
    graphLoaded: (_state, action: PayloadAction<WorkflowGraphInput>) => normaliseGraph(action.payload),
    nodesAdded: (state, action: PayloadAction<Grouped<{ nodes: EditorNode[]; edges?: EditorEdge[]; notes?: EditorNote[] }>>) => {
      for (const n of action.payload.nodes) {
        if (!state.nodes[n.id]) state.nodeIds.push(n.id)
        state.nodes[n.id] = n
      }
      for (const note of action.payload.notes ?? []) {
        if (!state.notes[note.id]) state.noteIds.push(note.id)
        state.notes[note.id] = note
      }
      for (const e of action.payload.edges ?? []) {
        if (!state.nodes[e.source] || !state.nodes[e.target] || state.edges[e.id]) continue
        state.edges[e.id] = e
        state.edgeIds.push(e.id)
      }
    },
    nodesMoved: (state, action: PayloadAction<Grouped<{ positions: Record<string, XY> }>>) => {
      for (const [id, p] of Object.entries(action.payload.positions)) {
        if (state.nodes[id]) state.nodes[id].position = { x: p.x, y: p.y }
        else if (state.notes[id]) state.notes[id].position = { x: p.x, y: p.y }
      }
    },
    elementsRemoved: (state, action: PayloadAction<Grouped<{ nodeIds?: string[]; edgeIds?: string[]; noteIds?: string[] }>>) => {
      removeEdgeIds(state, new Set(action.payload.edgeIds ?? []))
      removeNodeIds(state, new Set(action.payload.nodeIds ?? []))
      const notes = new Set(action.payload.noteIds ?? [])
      for (const id of notes) delete state.notes[id]
      if (notes.size) state.noteIds = state.noteIds.filter((id) => !notes.has(id))
    },
    edgeAdded: (state, action: PayloadAction<Omit<EditorEdge, 'id'>>) => {
      const e = { ...action.payload, id: edgeId(action.payload) }
      if (state.edges[e.id] || !state.nodes[e.source] || !state.nodes[e.target]) return
      state.edges[e.id] = e
      state.edgeIds.push(e.id)
    },
    nodeRenamed: (state, action: PayloadAction<Grouped<{ id: string; name: string }>>) => {
      const node = state.nodes[action.payload.id]
      if (node) node.name = action.payload.name
    },
    paramChanged: (state, action: PayloadAction<Grouped<{ id: string; key: string; value: unknown }>>) => {
      const node = state.nodes[action.payload.id]
      if (!node) return
      if (action.payload.value === undefined) delete node.params[action.payload.key]
      else node.params[action.payload.key] = action.payload.value
    },
    settingChanged: (state, action: PayloadAction<Grouped<{ id: string; key: keyof EditorNode['settings']; value: unknown }>>) => {
      const node = state.nodes[action.payload.id]
      if (!node) return
      const settings = node.settings as Record<string, unknown>
      if (action.payload.value === undefined) delete settings[action.payload.key]
      else settings[action.payload.key] = action.payload.value
    },
    /** Pins items on a node (null unpins). The size cap is checked by the caller (lib/engine/pin-data.ts withPinned). */
    pinDataSet: (state, action: PayloadAction<{ id: string; items: Record<string, unknown>[] | null }>) => {
      if (!state.nodes[action.payload.id]) return
      if (action.payload.items === null) {
        if (state.pinData) delete state.pinData[action.payload.id]
      } else (state.pinData ??= {})[action.payload.id] = action.payload.items
    },
    noteChanged: (state, action: PayloadAction<Grouped<{ id: string; text?: string; width?: number; height?: number; color?: string }>>) => {
      const note = state.notes[action.payload.id]
      if (!note) return
      const { id: _id, group: _g, ...patch } = action.payload
      Object.assign(note, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)))
    },
  },
})

export const { graphLoaded, nodesAdded, nodesMoved, elementsRemoved, edgeAdded, nodeRenamed, paramChanged, settingChanged, noteChanged, pinDataSet } =
  graphSlice.actions
