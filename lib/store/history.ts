// Undo/redo over the graph slice: snapshots of the (immutable, structurally shared) graph state.
// Consecutive graph actions carrying the same `group` form one undo step; `checkpoint` ends a group.
import { createAction, type Action, type Reducer } from '@reduxjs/toolkit'
import { graphLoaded, graphSlice } from './graph-slice'
import type { GraphState } from './types'

export interface HistoryState {
  past: GraphState[]
  future: GraphState[]
  lastGroup: string | null
  /** The graph as last loaded or saved: `graph !== saved` means unsaved changes. */
  saved: GraphState | null
}

export const undo = createAction('history/undo')
export const redo = createAction('history/redo')
export const checkpoint = createAction('history/checkpoint')
/** The graph given (what was sent to the server, by default the current one) is saved: `graph !== saved` since is
 * unsaved. */
export const markSaved = createAction<GraphState | undefined>('history/markSaved')
/** Puts back a graph and its history stashed earlier (leaving a read-only version view). */
export const editorRestored = createAction<{ graph: GraphState; history: HistoryState }>('history/restored')

export const HISTORY_LIMIT = 200

const isGraphAction = (a: Action) => a.type.startsWith(`${graphSlice.name}/`)
const groupOf = (a: Action): string | null => {
  const p = (a as { payload?: { group?: unknown } }).payload
  return p && typeof p === 'object' && typeof p.group === 'string' ? p.group : null
}

export const initialHistory: HistoryState = { past: [], future: [], lastGroup: null, saved: null }

/** Wraps a root reducer whose state has `graph` and `history`. */
export function withHistory<S extends { graph: GraphState; history: HistoryState }>(inner: Reducer<S>): Reducer<S> {
  return (state, action) => {
    if (state && undo.match(action)) {
      const prev = state.history.past.at(-1)
      if (!prev) return state
      return { ...state, graph: prev, history: { ...state.history, past: state.history.past.slice(0, -1), future: [state.graph, ...state.history.future], lastGroup: null } }
    }
    if (state && redo.match(action)) {
      const next = state.history.future[0]
      if (!next) return state
      return { ...state, graph: next, history: { ...state.history, past: [...state.history.past, state.graph], future: state.history.future.slice(1), lastGroup: null } }
    }
    if (state && editorRestored.match(action)) return { ...state, graph: action.payload.graph, history: action.payload.history }
    if (state && checkpoint.match(action)) {
      return state.history.lastGroup === null ? state : { ...state, history: { ...state.history, lastGroup: null } }
    }
    const next = inner(state, action)
    if (!state) return { ...next, history: { ...initialHistory, saved: next.graph } }
    if (markSaved.match(action)) return { ...next, history: { ...next.history, saved: action.payload ?? next.graph } }
    if (graphLoaded.match(action)) return { ...next, history: { ...initialHistory, saved: next.graph } }
    if (!isGraphAction(action) || next.graph === state.graph) return next
    const group = groupOf(action)
    const merge = group !== null && group === state.history.lastGroup
    const past = merge ? state.history.past : [...state.history.past, state.graph].slice(-HISTORY_LIMIT)
    return { ...next, history: { ...next.history, past, future: [], lastGroup: group } }
  }
}
