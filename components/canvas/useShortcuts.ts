'use client'
// Designer keyboard shortcuts. Ignored while typing in a field or when a dialog is open.
import { useEffect } from 'react'
import { useReactFlow } from '@xyflow/react'
import { revealAdded } from '@/components/palette/reveal'
import {
  copySelection, deleteSelection, duplicateSelection, layoutGraph, noticeShown, pasteText, quickAddSet, redo, selectAll, undo,
  useAppDispatch, useAppStore,
} from '@/lib/store'

const LOCAL_KEY = 'auterity.clipboard'

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('dialog[open]')
}

/** `enabled`: false while the workflow is loading (a paste then would be replaced by the loaded graph). */
export function useShortcuts({ onSave, onFit, enabled = true }: { onSave: () => void; onFit: () => void; enabled?: boolean }) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const rf = useReactFlow()
  useEffect(() => {
    const revealPasted = () => revealAdded(rf, store.getState, store.getState().selection.nodeIds)
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      if (mod && key === 's') {
        e.preventDefault()
        return onSave()
      }
      if (typing(e.target) || store.getState().ui.quickAddOpen) return
      const readOnly = store.getState().ui.viewingVersion !== null
      if (mod && key === 'z') {
        e.preventDefault()
        if (!readOnly) dispatch(e.shiftKey ? redo() : undo())
      } else if (mod && key === 'y') {
        e.preventDefault()
        if (!readOnly) dispatch(redo())
      } else if (mod && key === 'a') {
        e.preventDefault()
        dispatch(selectAll())
      } else if (mod && key === 'd') {
        e.preventDefault()
        dispatch(duplicateSelection())
        revealPasted()
      } else if (mod && (key === 'c' || key === 'x')) {
        const f = dispatch(copySelection())
        if (!f) return
        e.preventDefault()
        const text = JSON.stringify(f)
        localStorage.setItem(LOCAL_KEY, text)
        navigator.clipboard?.writeText(text).catch(() => {})
        if (key === 'x') dispatch(deleteSelection())
        else dispatch(noticeShown('info', `Copied ${f.nodes.length} node${f.nodes.length === 1 ? '' : 's'}`))
      } else if (mod && key === 'v') {
        e.preventDefault()
        const fallback = () => localStorage.getItem(LOCAL_KEY) ?? ''
        const read = navigator.clipboard?.readText ? navigator.clipboard.readText().catch(fallback) : Promise.resolve(fallback())
        void read.then((text) => {
          if (dispatch(pasteText(text)) || dispatch(pasteText(fallback()))) revealPasted()
          else dispatch(noticeShown('info', 'The clipboard holds no nodes.'))
        })
      } else if (e.key === 'Tab' && !mod && !readOnly) {
        e.preventDefault()
        dispatch(quickAddSet(true))
      } else if (e.shiftKey && e.altKey && key === 'l') {
        e.preventDefault()
        dispatch(layoutGraph())
      } else if (key === '1' && !mod) {
        onFit()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [dispatch, store, rf, onSave, onFit, enabled])
}
