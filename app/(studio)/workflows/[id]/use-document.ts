'use client'
// Loading (the autosaved draft when there is one), validating, saving versions (with 409 conflict handling), version
// viewing and restoring for the designer. The draft's autosave is ./use-autosave.ts.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useRouter } from 'next/navigation'
import { useToast } from '@/components/ui'
import type { Conflict } from '@/components/versions/ConflictDialog'
import { ApiError, api } from '@/lib/client/api'
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'
import {
  draftLoaded, editorRestored, graphLoaded, markSaved, nodeTypesLoaded, problemsSet, selectionSet, versionViewed, workflowOpened, workflowSaved,
  useAppDispatch, useAppStore, type EditorStore, type Problem,
} from '@/lib/store'
import { diffGraphs } from '@/lib/store/diff'
import { toWorkflowGraph } from '@/lib/store/graph-ops'
import type { HistoryState } from '@/lib/store/history'
import type { GraphState } from '@/lib/store/types'

const EMPTY_GRAPH = { nodes: [], edges: [], notes: [] }

function problemsOf(e: unknown): Problem[] | null {
  const d = e instanceof ApiError ? (e.details as { problems?: Problem[] } | undefined) : undefined
  return Array.isArray(d?.problems) ? d.problems : null
}

export function useDocument(workflowId: string) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const toast = useToast()
  const router = useRouter()
  const routerRef = useRef(router)
  routerRef.current = router
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading')
  const [loadError, setLoadError] = useState<string | null>(null)
  const [conflict, setConflict] = useState<(Conflict & { theirGraph: WorkflowGraphInput }) | null>(null)
  const [saving, setSaving] = useState(false)
  /** Opened on the server's draft: when it was last written (the designer says it differs from the version). */
  const [openedDraft, setOpenedDraft] = useState<string | null>(null)
  const stash = useRef<{ graph: GraphState; history: HistoryState } | null>(null)

  const open = useCallback(async () => {
    setState('loading')
    try {
      if (workflowId === 'new') {
        const { id } = await api.workflows.create({ name: 'Untitled workflow', graph: EMPTY_GRAPH, message: 'Created' })
        routerRef.current.replace(`/workflows/${id}`)
        return
      }
      const [wf, types] = await Promise.all([api.workflows.get(workflowId), api.nodeTypes.list()])
      dispatch(nodeTypesLoaded(types.nodeTypes))
      dispatch(graphLoaded(((wf.draft?.graph ?? wf.version.graph) as WorkflowGraphInput) ?? EMPTY_GRAPH))
      dispatch(draftLoaded(wf.draft?.updatedAt ?? null))
      setOpenedDraft(wf.draft?.updatedAt ?? null)
      dispatch(
        workflowOpened({
          workflowId, name: wf.name, baseVersion: wf.currentVersion, webhookBaseUrl: wf.webhookBaseUrl, hookBaseUrl: wf.hookBaseUrl, active: wf.active, publishedVersion: wf.publishedVersion,
        }),
      )
      setState('ready')
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e))
      setState('error')
    }
  }, [workflowId, dispatch])

  useEffect(() => {
    void open()
  }, [open])

  // Live validation: the server's checks (schema + engine), debounced, after every graph change.
  useEffect(() => {
    if (state !== 'ready') return
    let timer: ReturnType<typeof setTimeout> | undefined
    let last: GraphState | null = null
    let seq = 0
    const check = () => {
      const g = store.getState().graph
      if (g === last || store.getState().ui.viewingVersion !== null) return
      last = g
      const mine = ++seq
      api.workflows.validate(toWorkflowGraph(g)).then((r) => mine === seq && dispatch(problemsSet(r.problems)), () => {})
    }
    check()
    const unsubscribe = store.subscribe(() => {
      if (store.getState().graph === last) return
      clearTimeout(timer)
      timer = setTimeout(check, 500)
    })
    return () => {
      clearTimeout(timer)
      unsubscribe()
    }
  }, [state, store, dispatch])

  const put = useCallback(
    async (s: ReturnType<EditorStore['getState']>, message: string, baseVersion: number) => {
      const graph = toWorkflowGraph(s.graph)
      const res = (await api.workflows.update(workflowId, { baseVersion, name: s.ui.name, graph, message })) as { version: number; problems?: Problem[] }
      dispatch(workflowSaved({ baseVersion: res.version }))
      // What was sent is saved; edits made while the request was out are not (the autosave writes them as a draft).
      dispatch(markSaved(s.graph))
      dispatch(draftLoaded(null))
      setOpenedDraft(null)
      if (res.problems) dispatch(problemsSet(res.problems))
      return res
    },
    [workflowId, dispatch],
  )

  /** Saves the graph as a new version (the draft goes); a 409 opens the conflict dialog. Returns true when saved. */
  const save = useCallback(
    async (message: string): Promise<boolean> => {
      const s = store.getState()
      setSaving(true)
      try {
        const res = await put(s, message, s.ui.baseVersion)
        toast.success(`Saved version ${res.version}`)
        return true
      } catch (e) {
        if (e instanceof ApiError && e.isConflict) {
          const latest = await api.workflows.get(workflowId)
          const base = toWorkflowGraph(s.history.saved ?? s.graph)
          const theirGraph = latest.version.graph as WorkflowGraphInput
          setConflict({
            theirVersion: latest.currentVersion,
            theirMessage: latest.version.message,
            theirChanges: diffGraphs(base, theirGraph),
            myChanges: diffGraphs(base, toWorkflowGraph(s.graph)),
            theirGraph,
          })
          return false
        }
        const problems = problemsOf(e)
        if (problems) dispatch(problemsSet(problems))
        toast.error(e, 'Could not save — your changes are still here')
        return false
      } finally {
        setSaving(false)
      }
    },
    [store, put, toast, workflowId, dispatch],
  )

  const overwrite = useCallback(async () => {
    if (!conflict) return
    setSaving(true)
    try {
      const res = await put(store.getState(), `Saved over version ${conflict.theirVersion}`, conflict.theirVersion)
      toast.success(`Saved version ${res.version} over version ${conflict.theirVersion}`)
      setConflict(null)
    } catch (e) {
      toast.error(e, 'Could not save')
    } finally {
      setSaving(false)
    }
  }, [conflict, put, store, toast])

  const reloadTheirs = useCallback(() => {
    if (!conflict) return
    dispatch(graphLoaded(conflict.theirGraph))
    dispatch(workflowSaved({ baseVersion: conflict.theirVersion }))
    dispatch(draftLoaded(null))
    setOpenedDraft(null)
    dispatch(selectionSet({}))
    setConflict(null)
  }, [conflict, dispatch])

  /** Opens version n read-only; the working draft is stashed and comes back with `closeVersion`. */
  const openVersion = useCallback(
    async (n: number) => {
      try {
        const v = await api.workflows.version(workflowId, n)
        const s = store.getState()
        if (s.ui.viewingVersion === null) stash.current = { graph: s.graph, history: s.history }
        dispatch(selectionSet({}))
        dispatch(graphLoaded(v.graph as WorkflowGraphInput))
        dispatch(versionViewed(n))
      } catch (e) {
        toast.error(e, `Could not open version ${n}`)
      }
    },
    [workflowId, store, dispatch, toast],
  )

  const closeVersion = useCallback(() => {
    if (stash.current) dispatch(editorRestored(stash.current))
    stash.current = null
    dispatch(selectionSet({}))
    dispatch(versionViewed(null))
  }, [dispatch])

  /** Saves version n's graph as a new version (asked first: see RestoreDialog); the draft goes. */
  const restore = useCallback(
    async (n: number) => {
      try {
        const v = await api.workflows.version(workflowId, n)
        const s = store.getState()
        const res = await api.workflows.update(workflowId, { baseVersion: s.ui.baseVersion, graph: v.graph, message: `Restored version ${n}` })
        stash.current = null
        dispatch(versionViewed(null))
        dispatch(graphLoaded(v.graph as WorkflowGraphInput))
        dispatch(workflowSaved({ baseVersion: res.version }))
        dispatch(draftLoaded(null))
        setOpenedDraft(null)
        toast.success(`Restored version ${n} as version ${res.version}`)
      } catch (e) {
        toast.error(e, `Could not restore version ${n}`)
      }
    },
    [workflowId, store, dispatch, toast],
  )

  /** Drops the server's draft and opens the saved version again. */
  const discardDraft = useCallback(async () => {
    try {
      await api.workflows.discardDraft(workflowId)
      await open()
    } catch (e) {
      toast.error(e, 'Could not discard the draft')
    }
  }, [workflowId, open, toast])

  return { state, loadError, reload: open, save, saving, openedDraft, dismissDraftNote: () => setOpenedDraft(null), discardDraft, conflict, overwrite, reloadTheirs, dismissConflict: () => setConflict(null), openVersion, closeVersion, restore }
}
