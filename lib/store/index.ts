// The designer's Redux store: one per open designer page.
import { combineReducers, configureStore } from '@reduxjs/toolkit'
import { useDispatch, useSelector, useStore } from 'react-redux'
import { graphSlice } from './graph-slice'
import { initialHistory, withHistory, type HistoryState } from './history'
import { runSlice } from './run-slice'
import { selectionSlice } from './selection-slice'
import { uiSlice } from './ui-slice'

const slices = combineReducers({
  graph: graphSlice.reducer,
  selection: selectionSlice.reducer,
  run: runSlice.reducer,
  ui: uiSlice.reducer,
  history: (s: HistoryState = initialHistory) => s,
})

export const rootReducer = withHistory(slices)

export function makeStore() {
  return configureStore({
    reducer: rootReducer,
    // The graph can hold thousands of nodes: the dev-only immutability/serializability walks cost more than they catch here.
    middleware: (getDefault) => getDefault({ immutableCheck: false, serializableCheck: false }),
  })
}

export type EditorStore = ReturnType<typeof makeStore>
export type RootState = ReturnType<typeof rootReducer>
export type AppDispatch = EditorStore['dispatch']

export const useAppDispatch = useDispatch.withTypes<AppDispatch>()
export const useAppSelector = useSelector.withTypes<RootState>()
export const useAppStore = useStore.withTypes<EditorStore>()

export * from './graph-slice'
export * from './selection-slice'
export * from './run-slice'
export * from './ui-slice'
export { undo, redo, checkpoint, markSaved, editorRestored } from './history'
export * from './thunks'
export type { GraphState, EditorNode, EditorEdge, EditorNote, Problem, NodeTypeInfo } from './types'
