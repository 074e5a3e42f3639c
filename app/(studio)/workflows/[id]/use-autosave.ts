'use client'
// The designer's autosave: the graph is written as the workflow's draft (PUT /api/workflows/:id/draft, never a
// version) ~1.5 s after the last change, when the tab is hidden, and when the designer closes without "Leave"
// having been chosen. `flush` writes at once (Save and leave). A failed write is tried again a little later; one
// refused because a newer version exists (another tab saved) waits for the user's Save, which opens the conflict.
import { useCallback, useEffect, useRef } from 'react'
import { ApiError, api } from '@/lib/client/api'
import { draftFailed, draftSaving, draftWritten, markSaved, useAppDispatch, useAppStore } from '@/lib/store'
import { toWorkflowGraph } from '@/lib/store/graph-ops'
import { selectIsDirty } from '@/lib/store/selectors'

export const AUTOSAVE_DELAY_MS = 1500
const RETRY_MS = 5000

export function useAutosave(workflowId: string, ready: boolean) {
  const store = useAppStore()
  const dispatch = useAppDispatch()
  const inFlight = useRef<Promise<boolean> | null>(null)
  const stale = useRef(false)
  const discarded = useRef(false)

  const write = useCallback(async (): Promise<boolean> => {
    const s = store.getState()
    // A version open read-only shows that version's graph: the draft is stashed, not on the canvas.
    if (s.ui.viewingVersion !== null || !selectIsDirty(s)) return true
    const { graph } = s
    const base = s.ui.baseVersion
    dispatch(draftSaving())
    try {
      const res = await api.workflows.saveDraft(workflowId, { baseVersion: base, graph: toWorkflowGraph(graph) })
      // A version saved meanwhile (it cleared the draft) outranks this write.
      if (store.getState().ui.baseVersion === base) {
        dispatch(markSaved(graph))
        dispatch(draftWritten(res.updatedAt))
      }
      stale.current = false
      return true
    } catch (e) {
      if (store.getState().ui.baseVersion !== base) return false
      stale.current = e instanceof ApiError && e.isConflict
      dispatch(draftFailed(stale.current ? 'A newer version was saved elsewhere: Save to choose what to keep' : e instanceof Error ? e.message : String(e)))
      return false
    }
  }, [store, dispatch, workflowId])

  /** Writes the draft now (after a write already under way). True when nothing is left unsaved. */
  const flush = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current
    const p = write()
    inFlight.current = p
    try {
      return await p
    } finally {
      inFlight.current = null
    }
  }, [write])

  useEffect(() => {
    if (!ready) return
    discarded.current = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let last = store.getState().graph
    const tick = async () => {
      if (!(await flush()) && !stale.current) timer = setTimeout(() => void tick(), RETRY_MS)
    }
    const schedule = (ms: number) => {
      clearTimeout(timer)
      timer = setTimeout(() => void tick(), ms)
    }
    const unsubscribe = store.subscribe(() => {
      const s = store.getState()
      if (s.graph === last) return
      last = s.graph
      if (s.ui.viewingVersion === null && selectIsDirty(s)) schedule(AUTOSAVE_DELAY_MS)
      else clearTimeout(timer)
    })
    const onHidden = () => {
      if (document.visibilityState === 'hidden' && selectIsDirty(store.getState())) schedule(0)
    }
    document.addEventListener('visibilitychange', onHidden)
    return () => {
      clearTimeout(timer)
      unsubscribe()
      document.removeEventListener('visibilitychange', onHidden)
      if (!discarded.current) void flush()
    }
  }, [ready, store, flush])

  /** "Leave without saving": the designer closes without writing what is unsaved. */
  const discard = useCallback(() => {
    discarded.current = true
  }, [])

  return { flush, discard }
}
