'use client'
// Opens the full node editor (NodeEditor.tsx) from anywhere in the designer: a double-click on a node, the inspector.
import { createContext, useContext } from 'react'

export interface NodeEditorControl {
  open(nodeId: string): void
  close(): void
}

export const NodeEditorContext = createContext<NodeEditorControl>({ open: () => {}, close: () => {} })
export const useNodeEditor = () => useContext(NodeEditorContext)
