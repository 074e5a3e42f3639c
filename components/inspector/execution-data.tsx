'use client'
// The selected execution's step records (input/output samples), shared by the inspector's data tab, the node editor
// and expression autocomplete. Refetched when the execution settles. Pinned data is fed in as the output of the nodes
// it is pinned on (what the next designer run will use), so completions and previews see it before anything ran.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api } from '@/lib/client/api'
import type { ChildExecution, StepRecord } from '@/lib/client/types'
import { useAppSelector } from '@/lib/store'
import { outputPorts } from '@/lib/store/ports'

type Item = Record<string, unknown>

export interface ExecutionData {
  executionId: string | null
  /** Last attempt per node, where a pinned node's record carries its pinned items as its output (a stand-in record,
   * see isPinnedStandIn, when it has not run with them yet). Read output samples here. */
  steps: Record<string, StepRecord>
  /** Last attempt per node as the selected execution recorded it (status, timings, input). */
  runSteps: Record<string, StepRecord>
  /** Pinned items per node id (the graph's pinData). */
  pinned: Record<string, Item[]>
  /** Every attempt per node (their logs explain retries). */
  attempts: Record<string, StepRecord[]>
  /** Runs the execution started (Execute Workflow steps' child runs, error workflows). */
  children: ChildExecution[]
  refresh: () => void
}

const NO_PINS: Record<string, Item[]> = {}
const Ctx = createContext<ExecutionData>({ executionId: null, steps: {}, runSteps: {}, pinned: NO_PINS, attempts: {}, children: [], refresh: () => {} })
export const useExecutionData = () => useContext(Ctx)

export function ExecutionDataProvider({ children }: { children: ReactNode }) {
  const executionId = useAppSelector((s) => s.run.executionId)
  const status = useAppSelector((s) => s.run.status)
  const settledCount = useAppSelector((s) => Object.values(s.run.steps).filter((st) => st.status !== 'running' && st.status !== 'retrying').length)
  const [steps, setSteps] = useState<Record<string, StepRecord>>({})
  const [attempts, setAttempts] = useState<Record<string, StepRecord[]>>({})
  const [childRuns, setChildRuns] = useState<ChildExecution[]>([])
  const [tick, setTick] = useState(0)
  const pinned = useAppSelector((s) => s.graph.pinData ?? NO_PINS)
  const nodes = useAppSelector((s) => s.graph.nodes)
  const types = useAppSelector((s) => s.ui.nodeTypes)
  const merged = useMemo(() => {
    const ids = Object.keys(pinned)
    if (ids.length === 0) return steps
    const out = { ...steps }
    for (const id of ids) {
      const node = nodes[id]
      if (!node) continue
      const port = outputPorts(node, types[node.type])[0]?.name ?? 'main'
      out[id] = pinnedRecord(id, node.name, node.type, port, pinned[id], steps[id])
    }
    return out
  }, [steps, pinned, nodes, types])

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

  const value = useMemo(
    () => ({ executionId, steps: merged, runSteps: steps, pinned, attempts, children: childRuns, refresh: () => setTick((x) => x + 1) }),
    [executionId, merged, steps, pinned, attempts, childRuns],
  )
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

const STAND_IN = 'pinned:'

/** A pinned node's output sample: its run record with the pinned items as output, or a stand-in when it did not run. */
function pinnedRecord(nodeId: string, nodeName: string, nodeType: string, port: string, items: Item[], ran: StepRecord | undefined): StepRecord {
  const output = { [port]: items }
  const outputCounts = { [port]: items.length }
  if (ran) return { ...ran, output, outputCounts }
  return {
    id: `${STAND_IN}${nodeId}`, nodeId, nodeName, nodeType, attempt: 0, iteration: null, status: 'succeeded', input: [], inputCount: 0,
    output, outputCounts, error: null, logs: null, startedAt: null, finishedAt: null, durationMs: null,
  }
}

/** True for the record execution-data makes up for a pinned node that has no run record. */
export const isPinnedStandIn = (step: StepRecord | undefined) => !!step?.id.startsWith(STAND_IN)

export function firstItem(output: StepRecord['output'] | undefined): Record<string, unknown> | null {
  if (!output) return null
  const items = output.main ?? Object.values(output)[0]
  return Array.isArray(items) && items[0] && typeof items[0] === 'object' ? items[0] : null
}
