'use client'
// Input and output items of one node in the selected execution: table or JSON, output paged by the server; pinning.
import { useEffect, useState } from 'react'
import { FlaskConical } from 'lucide-react'
import { Button, FileList, ItemsTable, JsonView, StatusBadge, Tabs, useToast } from '@/components/ui'
import { ErrorCodeBadge } from '@/components/ui/ErrorCodeBadge'
import { api } from '@/lib/client/api'
import type { ItemsPage, TestStepResult } from '@/lib/client/types'
import { useAppSelector, useAppStore } from '@/lib/store'
import { toWorkflowGraph } from '@/lib/store/graph-ops'
import { formatDuration } from '@/components/canvas/format'
import { iterationText } from '@/lib/client/format'
import { isPinnedStep } from '@/lib/engine/pin-data'
import { useExecutionData } from './execution-data'
import { PinControls, PinnedNotice } from './PinControls'
import { StepChildRuns } from '@/components/executions/RunLinks'
import { StepLogs } from '@/components/executions/StepLogs'

type View = 'table' | 'json'


function ItemsView({ items, total, page, onPage, view }: { items: Record<string, unknown>[]; total?: number; page?: number; onPage?: (p: number) => void; view: View }) {
  if (items.length === 0) return <p className="py-2 text-sm text-muted">No items.</p>
  return (
    <div className="flex flex-col gap-2">
      <FileList items={items} />
      {view === 'table' ? <ItemsTable items={items} total={total} page={page} onPageChange={onPage} /> : <JsonView value={items} openDepth={2} className="max-h-96" />}
    </div>
  )
}

/** "Test step": runs only this node with the input it had in its last execution (the inspector and the node editor). */
export function useTestStep(nodeId: string) {
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const store = useAppStore()
  const toast = useToast()
  const [testing, setTesting] = useState(false)
  const [test, setTest] = useState<TestStepResult | null>(null)
  const runTest = async () => {
    if (!workflowId) return
    setTesting(true)
    try {
      setTest(await api.workflows.testStep(workflowId, { nodeId, graph: toWorkflowGraph(store.getState().graph) }))
    } catch (e) {
      toast.error(e, 'Test step failed')
    } finally {
      setTesting(false)
    }
  }
  return { testing, test, setTest, runTest }
}

export function TestStepButton({ testing, onClick }: { testing: boolean; onClick: () => void }) {
  return (
    <Button size="sm" variant="secondary" loading={testing} icon={<FlaskConical className="size-3.5" />} onClick={onClick} title="Run only this node with the input it had in its last execution">
      Test step
    </Button>
  )
}

export function TestResult({ test, view }: { test: TestStepResult; view: View }) {
  return (
    <section className="rounded-md border border-accent/40 p-2" data-testid="test-step-result">
      <h4 className="mb-1 flex items-center gap-2 text-xs font-semibold">
        Test result <StatusBadge status={test.status} /> <span className="font-normal text-muted">{formatDuration(test.durationMs)}</span>
      </h4>
      {test.error && <p className="mb-1 text-xs text-danger">{test.error.message}<ErrorCodeBadge code={test.error.code} /></p>}
      <ItemsView items={Object.values(test.output ?? {}).flat()} view={view} />
    </section>
  )
}

export function NodeData({ nodeId, outputPorts }: { nodeId: string; outputPorts: string[] }) {
  const { executionId, runSteps: steps, attempts, children } = useExecutionData()
  const step = steps[nodeId]
  const pinned = useAppSelector((s) => s.graph.pinData?.[nodeId])
  const typeLabel = useAppSelector((s) => s.ui.nodeTypes[s.graph.nodes[nodeId]?.type ?? '']?.label ?? 'this node')
  const [view, setView] = useState<View>('table')
  const [port, setPort] = useState(outputPorts[0] ?? 'main')
  const [page, setPage] = useState(0)
  const [data, setData] = useState<ItemsPage | null>(null)
  const { testing, test, setTest, runTest } = useTestStep(nodeId)

  useEffect(() => {
    setPage(0)
    setTest(null)
  }, [nodeId, executionId, port]) // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!executionId || !step || step.status !== 'succeeded') {
      setData(null)
      return
    }
    let live = true
    api.executions.items(executionId, nodeId, port, page).then((d) => live && setData(d), () => live && setData(null))
    return () => {
      live = false
    }
  }, [executionId, nodeId, port, page, step])

  const input = Array.isArray(step?.input) ? (step.input as Record<string, unknown>[]) : []
  const ports = [...new Set([...outputPorts, ...Object.keys(step?.outputCounts ?? {})])]

  return (
    <div className="flex flex-col gap-3" data-testid="node-data">
      <div className="flex items-center justify-between gap-2">
        <div className="flex items-center gap-2 text-xs text-muted">
          {step ? (
            <>
              <StatusBadge status={step.status} />
              {step.durationMs !== null && <span>{formatDuration(step.durationMs)}</span>}
              {step.iteration !== null ? <span>{iterationText(step)}</span> : step.attempt > 1 && <span>attempt {step.attempt}</span>}
              {isPinnedStep(step) && <span className="font-medium text-accent" data-testid="step-pinned">pinned</span>}
            </>
          ) : (
            <span>{executionId ? 'This node did not run in the selected execution.' : 'Run the workflow to see data here.'}</span>
          )}
        </div>
        <div className="flex items-center gap-1">
          <div className="flex rounded-md border border-line text-xs" role="group" aria-label="Items view">
            {(['table', 'json'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} className={`px-2 py-0.5 ${view === v ? 'bg-panel-2 font-medium' : 'text-muted'}`}>
                {v === 'table' ? 'Table' : 'JSON'}
              </button>
            ))}
          </div>
          <TestStepButton testing={testing} onClick={() => void runTest()} />
        </div>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-xs font-semibold">Pinned data</span>
        <PinControls nodeId={nodeId} executionId={executionId} step={step} port={outputPorts[0] ?? 'main'} />
      </div>
      {pinned && <PinnedNotice count={pinned.length} typeLabel={typeLabel} />}

      <StepChildRuns runs={children} nodeId={nodeId} now={Date.now()} />

      {test && <TestResult test={test} view={view} />}

      {step?.error && (
        <div className="rounded-md border border-danger/40 bg-danger/5 p-2 text-xs text-danger" role="alert">
          {step.error.message}<ErrorCodeBadge code={step.error.code} />
        </div>
      )}

      {step && (
        <section>
          <h4 className="mb-1 text-xs font-semibold">Input <span className="font-normal text-muted">({step.inputCount} items)</span></h4>
          <ItemsView items={input} view={view} />
          {step.inputCount > input.length && <p className="text-[11px] text-muted">Showing the first {input.length} of {step.inputCount} items.</p>}
        </section>
      )}

      {step && (
        <section data-testid="node-logs">
          <h4 className="mb-1 text-xs font-semibold">Logs</h4>
          <StepLogs attempts={attempts[nodeId] ?? [step]} />
        </section>
      )}

      {step && (
        <section data-testid="node-output">
          <div className="mb-1 flex items-center justify-between">
            <h4 className="text-xs font-semibold">Output</h4>
            {ports.length > 1 && (
              <Tabs label="Output port" value={port} onChange={setPort} tabs={ports.map((p) => ({ id: p, label: `${p} (${step.outputCounts[p] ?? 0})` }))} />
            )}
          </div>
          {data ? (
            <ItemsView items={data.items} total={data.total} page={data.page} onPage={setPage} view={view} />
          ) : (
            <ItemsView items={(step.output?.[port] as Record<string, unknown>[]) ?? []} view={view} />
          )}
        </section>
      )}
    </div>
  )
}
