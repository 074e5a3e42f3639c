// The one place selection lives; React Flow's `selected` flags are derived from it.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit'

export interface SelectionState {
  nodeIds: string[]
  edgeIds: string[]
  noteIds: string[]
}

const initialState: SelectionState = { nodeIds: [], edgeIds: [], noteIds: [] }

export const selectionSlice = createSlice({
  name: 'selection',
  initialState,
  reducers: {
    selectionSet: (_s, a: PayloadAction<Partial<SelectionState>>) => ({ nodeIds: a.payload.nodeIds ?? [], edgeIds: a.payload.edgeIds ?? [], noteIds: a.payload.noteIds ?? [] }),
    /** Applies React Flow's per-element select/deselect changes. */
    selectionToggled: (s, a: PayloadAction<{ kind: 'node' | 'edge' | 'note'; id: string; selected: boolean }[]>) => {
      const key = { node: 'nodeIds', edge: 'edgeIds', note: 'noteIds' } as const
      for (const c of a.payload) {
        const list = s[key[c.kind]]
        const at = list.indexOf(c.id)
        if (c.selected && at < 0) list.push(c.id)
        if (!c.selected && at >= 0) list.splice(at, 1)
      }
    },
    selectionCleared: () => initialState,
  },
})

export const { selectionSet, selectionToggled, selectionCleared } = selectionSlice.actions
