'use client'
// The selected execution's step records (input/output samples), shared by the inspector's data tab and
// expression autocomplete. Refetched when the execution settles.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { api } from '@/lib/client/api'
import type { ChildExecution, StepRecord } from '@/lib/client/types'
import { useAppSelector } from '@/lib/store'

export interface ExecutionData {
  executionId: string | null
  /** Last attempt per node. */
  steps: Record<string, StepRecord>
  /** Every attempt per node (their logs explain retries). */
  attempts: Record<string, StepRecord[]>
  /** Runs the execution started (Execute Workflow steps' child runs, error workflows). */
  children: ChildExecution[]
  refresh: () => void
}

const Ctx = createContext<ExecutionData>({ executionId: null, steps: {}, attempts: {}, children: [], refresh: () => {} })
export const useExecutionData = () => useContext(Ctx)

export function ExecutionDataProvider({ children }: { children: ReactNode }) {
  const executionId = useAppSelector((s) => s.run.executionId)
  const status = useAppSelector((s) => s.run.status)
  const settledCount = useAppSelector((s) => Object.values(s.run.steps).filter((st) => st.status !== 'running' && st.status !== 'retrying').length)
  const [steps, setSteps] = useState<Record<string, StepRecord>>({})
  const [attempts, setAttempts] = useState<Record<string, StepRecord[]>>({})
  const [childRuns, setChildRuns] = useState<ChildExecution[]>([])
  const [tick, setTick] = useState(0)

  useEffect(() => {
    if (!executionId) {
      setSteps({})
      setAttempts({})
      setChildRuns([])
      return
    }
    const ctl = new AbortController()
    const t = setTimeout(() => {
      api.executions.get(executionId, ctl.signal).then(
        (d) => {
          const by: Record<string, StepRecord> = {}
          const all: Record<string, StepRecord[]> = {}
          for (const st of [...d.steps].sort((a, b) => a.attempt - b.attempt)) {
            by[st.nodeId] = st
            ;(all[st.nodeId] ??= []).push(st)
          }
          setSteps(by)
          setAttempts(all)
          setChildRuns(d.children ?? [])
        },
        () => {},
      )
    }, 150)
    return () => {
      clearTimeout(t)
      ctl.abort()
    }
  }, [executionId, status, settledCount, tick])

  return <Ctx.Provider value={{ executionId, steps, attempts, children: childRuns, refresh: () => setTick((x) => x + 1) }}>{children}</Ctx.Provider>
}

export function firstItem(output: StepRecord['output'] | undefined): Record<string, unknown> | null {
  if (!output) return null
  const items = output.main ?? Object.values(output)[0]
  return Array.isArray(items) && items[0] && typeof items[0] === 'object' ? items[0] : null
}
