'use client'
// A sticky note: free text on the canvas, resizable; not part of the run.
import { memo, useState } from 'react'
import { NodeResizer, type NodeProps } from '@xyflow/react'
import { checkpoint, nodesMoved, noteChanged, useAppDispatch, useAppSelector } from '@/lib/store'
import type { FlowNode } from '@/lib/store/selectors'

const COLORS: Record<string, string> = {
  yellow: 'bg-yellow-100 border-yellow-300 dark:bg-yellow-900/40 dark:border-yellow-700',
  blue: 'bg-sky-100 border-sky-300 dark:bg-sky-900/40 dark:border-sky-700',
  green: 'bg-emerald-100 border-emerald-300 dark:bg-emerald-900/40 dark:border-emerald-700',
  pink: 'bg-pink-100 border-pink-300 dark:bg-pink-900/40 dark:border-pink-700',
}

function NoteNodeView({ id, selected }: NodeProps<FlowNode>) {
  const note = useAppSelector((s) => s.graph.notes[id])
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  const dispatch = useAppDispatch()
  const [editing, setEditing] = useState(false)
  if (!note) return null
  return (
    <div
      data-testid="sticky-note"
      className={`h-full w-full rounded-md border p-2 text-sm text-fg shadow-sm ${COLORS[note.color ?? 'yellow'] ?? COLORS.yellow}`}
      onDoubleClick={() => !readOnly && setEditing(true)}
    >
      <NodeResizer
        isVisible={selected && !readOnly}
        minWidth={120}
        minHeight={60}
        onResizeEnd={(_e, p) => {
          dispatch(noteChanged({ id, width: p.width, height: p.height }))
          dispatch(nodesMoved({ positions: { [id]: { x: p.x, y: p.y } } }))
          dispatch(checkpoint())
        }}
      />
      {editing ? (
        <textarea
          autoFocus
          className="nodrag nowheel h-full w-full resize-none bg-transparent outline-none"
          value={note.text}
          onChange={(e) => dispatch(noteChanged({ id, text: e.target.value, group: `note:${id}` }))}
          onBlur={() => {
            setEditing(false)
            dispatch(checkpoint())
          }}
        />
      ) : (
        <div className="h-full w-full overflow-hidden whitespace-pre-wrap break-words">{note.text || <span className="text-muted">Double-click to write a note</span>}</div>
      )}
    </div>
  )
}

export const NoteNode = memo(NoteNodeView)
