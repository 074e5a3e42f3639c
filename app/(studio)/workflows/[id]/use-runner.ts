'use client'
// Running from the designer: Run lists what must be fixed first, starts the execution of the graph as it is on screen
// (a draft run when it differs from the saved version: no version is made) and follows it live over Socket.IO
// (catching up with a fetch after subscribing and after reconnects).
import { useCallback, useEffect, useState } from 'react'
import { useToast } from '@/components/ui'
import { ApiError, api } from '@/lib/client/api'
import { useRealtime } from '@/lib/client/socket'
import { executionLoaded, executionUpdated, problemsSet, runStarted, stepProgressed, stepUpdated, useAppDispatch, useAppSelector, useAppStore, type Problem } from '@/lib/store'
import { toWorkflowGraph } from '@/lib/store/graph-ops'
import { selectIsDirty } from '@/lib/store/selectors'

export function useRunner(workflowId: string) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const toast = useToast()
  const executionId = useAppSelector((s) => s.run.executionId)
  const [blocking, setBlocking] = useState<Problem[] | null>(null)
  const [starting, setStarting] = useState(false)

  const catchUp = useCallback(
    async (id: string) => {
      try {
        const d = await api.executions.get(id)
        if (store.getState().run.executionId !== id) return
        dispatch(executionLoaded({ executionId: id, status: d.status, error: d.error, steps: d.steps, aiCostByNode: d.aiCostByNode }))
      } catch {
        /* the socket keeps us updated; a missed catch-up only delays the final picture */
      }
    },
    [dispatch, store],
  )

  useRealtime(executionId ? `execution:${executionId}` : null, {
    'step.updated': (p) => dispatch(stepUpdated(p)),
    'step.progress': (p) => dispatch(stepProgressed(p)),
    'execution.updated': (p) => {
      dispatch(executionUpdated(p))
      if (p.status !== 'queued' && p.status !== 'running') {
        void catchUp(p.executionId)
        // The AI ledger is written in batches shortly after each call: fetch once more for the nodes' last costs.
        setTimeout(() => void catchUp(p.executionId), 1500)
      }
    },
    onResync: () => executionId && void catchUp(executionId),
  })

  // Realtime events drive the canvas; a slow poll while the run is active covers a socket that is late or down.
  const active = useAppSelector((s) => s.run.status === 'queued' || s.run.status === 'running')
  useEffect(() => {
    if (!active || !executionId) return
    const timer = setInterval(() => void catchUp(executionId), 2000)
    return () => clearInterval(timer)
  }, [active, executionId, catchUp])

  /** Shows an existing execution on the canvas (e.g. opened from the executions list with ?execution=<id>). */
  const show = useCallback(
    (id: string) => {
      dispatch(runStarted({ executionId: id }))
      void catchUp(id)
    },
    [dispatch, catchUp],
  )

  /** Problems that block a run (all of them: the engine refuses a graph with any). */
  const check = useCallback(() => {
    const problems = store.getState().ui.problems
    if (problems.length) {
      setBlocking(problems)
      return false
    }
    return true
  }, [store])

  const run = useCallback(
    async (input: unknown) => {
      if (!check()) return false
      setStarting(true)
      try {
        const s = store.getState()
        const onScreen = s.ui.draft.exists || selectIsDirty(s)
        const { executionId: id } = onScreen
          ? await api.workflows.runDraft(workflowId, { graph: toWorkflowGraph(s.graph), input })
          : await api.workflows.run(workflowId, { input })
        dispatch(runStarted({ executionId: id }))
        setTimeout(() => void catchUp(id), 300)
        return true
      } catch (e) {
        const problems = e instanceof ApiError ? (e.details as { problems?: Problem[] } | undefined)?.problems : undefined
        if (problems?.length) {
          dispatch(problemsSet(problems))
          setBlocking(problems)
        } else toast.error(e, 'Could not start the run')
        return false
      } finally {
        setStarting(false)
      }
    },
    [check, store, workflowId, dispatch, catchUp, toast],
  )

  const cancel = useCallback(async () => {
    if (!executionId) return
    try {
      await api.executions.cancel(executionId)
    } catch (e) {
      toast.error(e, 'Could not cancel')
    }
  }, [executionId, toast])

  return { run, cancel, check, show, starting, blocking, dismissBlocking: () => setBlocking(null) }
}
