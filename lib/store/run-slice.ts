// Live state of the execution shown on the canvas (from Socket.IO step.updated / execution.updated, or loaded).
import { createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { ExecutionStatus, SerializedError } from '@/lib/engine/types'
import type { ExecutionUpdatedEvent, StepEventStatus, StepProgressEvent, StepUpdatedEvent } from '@/lib/realtime/events'
import { iterationText } from '@/lib/client/format'

export interface NodeRun {
  status: StepEventStatus
  attempt: number
  maxAttempts: number
  /** In a loop's body: the iteration of this attempt; on a loop node: the iterations it ran (null outside loops). */
  iteration: number | null
  durationMs: number | null
  inputCount: number
  outputCounts: Record<string, number>
  error: SerializedError | null
}

export interface RunState {
  executionId: string | null
  status: ExecutionStatus | null
  error: SerializedError | null
  steps: Record<string, NodeRun>
  /** The latest step.progress event per node (live only: a loaded execution has none). */
  progress: Record<string, StepProgressEvent>
  /** AI cost per node id (USD strings from the ledger), as of the last load: nodes that spent show it on the canvas. */
  aiCostByNode: Record<string, string>
}

const initialState: RunState = { executionId: null, status: null, error: null, steps: {}, progress: {}, aiCostByNode: {} }

/** Shape of a step from GET /api/executions/:id. */
export interface LoadedStep {
  nodeId: string
  attempt: number
  iteration?: number | null
  status: string
  inputCount?: number
  outputCounts?: Record<string, number> | null
  error?: SerializedError | null
  durationMs?: number | null
}

export const runSlice = createSlice({
  name: 'run',
  initialState,
  reducers: {
    runStarted: (_s, a: PayloadAction<{ executionId: string }>) => ({ ...initialState, executionId: a.payload.executionId, status: 'queued' as const }),
    runCleared: () => initialState,
    executionUpdated: (s, a: PayloadAction<Pick<ExecutionUpdatedEvent, 'executionId' | 'status' | 'error'>>) => {
      if (a.payload.executionId !== s.executionId) return
      s.status = a.payload.status
      s.error = a.payload.error
    },
    stepUpdated: (s, a: PayloadAction<StepUpdatedEvent>) => {
      const e = a.payload
      if (e.executionId !== s.executionId) return
      s.steps[e.nodeId] = {
        status: e.status,
        attempt: e.attempt,
        maxAttempts: e.maxAttempts,
        // A retry notice carries no iteration: it stays the attempt's.
        iteration: e.iteration ?? s.steps[e.nodeId]?.iteration ?? null,
        durationMs: e.durationMs,
        inputCount: e.inputCount,
        outputCounts: e.outputCounts ?? {},
        error: e.error,
      }
    },
    stepProgressed: (s, a: PayloadAction<StepProgressEvent>) => {
      if (a.payload.executionId !== s.executionId) return
      s.progress[a.payload.nodeId] = a.payload
    },
    /** An execution opened after the fact (GET /api/executions/:id): the last attempt of each step wins. */
    executionLoaded: (s, a: PayloadAction<{ executionId: string; status: ExecutionStatus; error?: SerializedError | null; steps: LoadedStep[]; aiCostByNode?: Record<string, string> }>) => {
      const steps: Record<string, NodeRun> = {}
      for (const st of [...a.payload.steps].sort((x, y) => x.attempt - y.attempt)) {
        steps[st.nodeId] = {
          status: (st.status === 'pending' ? 'running' : st.status) as StepEventStatus,
          attempt: st.attempt,
          maxAttempts: Math.max(st.attempt, steps[st.nodeId]?.maxAttempts ?? 1),
          iteration: st.iteration ?? null,
          durationMs: st.durationMs ?? null,
          inputCount: st.inputCount ?? 0,
          outputCounts: st.outputCounts ?? {},
          error: st.error ?? null,
        }
      }
      return {
        executionId: a.payload.executionId,
        status: a.payload.status,
        error: a.payload.error ?? null,
        steps,
        progress: s.executionId === a.payload.executionId ? s.progress : {},
        aiCostByNode: a.payload.aiCostByNode ?? {},
      }
    },
  },
})

export const { runStarted, runCleared, executionUpdated, stepUpdated, stepProgressed, executionLoaded } = runSlice.actions

export type NodeRunView = { status: 'queued' | StepEventStatus; label: string; durationMs: number | null; error: SerializedError | null }

/** What a node shows: its step state, or "queued" while its execution is active and it has not started. */
export function nodeRunView(runStatus: ExecutionStatus | null, st: NodeRun | undefined): NodeRunView | null {
  if (!st) {
    if (runStatus === 'queued' || runStatus === 'running') return { status: 'queued', label: 'queued', durationMs: null, error: null }
    return null
  }
  return { status: st.status, label: runLabel(st), durationMs: st.durationMs, error: st.error }
}

/** A loop's body counts attempts across iterations, so it shows the iteration instead of "attempt n of max". */
function runLabel(st: NodeRun): string {
  if (st.iteration === null) return st.status === 'retrying' ? `retrying ${st.attempt + 1}/${st.maxAttempts}` : st.status
  return `${st.status} · ${iterationText(st)}`
}
