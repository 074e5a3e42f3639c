'use client'
// The full node editor (double-click a node): INPUT | PARAMETERS | OUTPUT side by side in a large modal. Input
// fields drag onto parameters (field-drop.ts); the output can be pinned (PinControls.tsx). The parameters column
// is the inspector's own form (NodeInspector, embedded).
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type ReactNode } from 'react'
import { X } from 'lucide-react'
import { Select, StatusBadge, Tabs } from '@/components/ui'
import { outputPorts } from '@/lib/store/ports'
import { formatDuration } from '@/components/canvas/format'
import { ErrorCodeBadge } from '@/components/ui/ErrorCodeBadge'
import { isPinnedStep } from '@/lib/engine/pin-data'
import { checkpoint, paramChanged, useAppDispatch, useAppSelector, useAppStore } from '@/lib/store'
import { ancestors } from '@/lib/store/graph-ops'
import { selectSourcePorts } from '@/lib/store/selectors'
import { useExecutionData } from './execution-data'
import { carriesField, dropTarget, FIELD_MIME, getIn, mappedValue, setIn } from './field-drop'
import { NodeInspector } from './Inspector'
import { ItemsPanel, type ItemsSource } from './ItemsPanel'
import { NodeEditorContext, type NodeEditorControl } from './node-editor-context'
import { NodeTitle } from './NodeTitle'
import { TestResult, TestStepButton, useTestStep } from './NodeData'
import { PinControls, PinnedNotice } from './PinControls'

/** Holds which node the editor shows and renders it; the designer wraps its body in it. */
export function NodeEditorProvider({ children }: { children: ReactNode }) {
  const [nodeId, setNodeId] = useState<string | null>(null)
  const control: NodeEditorControl = useMemo(() => ({ open: setNodeId, close: () => setNodeId(null) }), [])
  const exists = useAppSelector((s) => (nodeId ? !!s.graph.nodes[nodeId] : false))
  return (
    <NodeEditorContext.Provider value={control}>
      {children}
      {nodeId && exists && <NodeEditor key={nodeId} nodeId={nodeId} onClose={control.close} />}
    </NodeEditorContext.Provider>
  )
}

function NodeEditor({ nodeId, onClose }: { nodeId: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  const node = useAppSelector((s) => s.graph.nodes[nodeId])
  const type = useAppSelector((s) => s.ui.nodeTypes[node.type])
  const { testing, test, runTest } = useTestStep(nodeId)

  useEffect(() => {
    const el = ref.current
    if (el && !el.open) el.showModal()
  }, [])

  return (
    <dialog
      ref={ref}
      aria-label={`Edit ${node.name}`}
      data-testid="node-editor"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      className="m-auto h-[calc(100dvh-2rem)] max-h-none w-[calc(100vw-2rem)] max-w-none overflow-hidden rounded-lg border border-line bg-panel p-0 text-fg shadow-2xl backdrop:bg-black/40"
    >
      <div className="flex h-full flex-col">
        <header className="flex items-center gap-3 border-b border-line px-4 py-2.5">
          <NodeTitle nodeId={nodeId} large />
          {!type?.trigger && <TestStepButton testing={testing} onClick={() => void runTest()} />}
          <button type="button" aria-label="Close the node editor" title="Close (Esc)" className="rounded p-1.5 text-muted hover:bg-panel-2" onClick={onClose}>
            <X className="size-5" />
          </button>
        </header>
        <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_minmax(340px,440px)_minmax(0,1fr)] grid-rows-[minmax(0,1fr)] divide-x divide-line">
          <InputColumn nodeId={nodeId} trigger={!!type?.trigger} />
          <ParamsColumn nodeId={nodeId} />
          <OutputColumn nodeId={nodeId} typeLabel={type?.label ?? node.type} testResult={test && <TestResult test={test} view="table" />} />
        </div>
      </div>
    </dialog>
  )
}

function InputColumn({ nodeId, trigger }: { nodeId: string; trigger: boolean }) {
  const store = useAppStore()
  const edges = useAppSelector((s) => s.graph.edges)
  const names = useAppSelector((s) => s.graph.nodes)
  const { executionId, runSteps, pinned } = useExecutionData()
  // Direct parents first (with the port that feeds this node), then the nodes before them.
  const upstream = useMemo(() => {
    const g = store.getState().graph
    const direct = new Map<string, string>()
    for (const id of g.edgeIds) if (g.edges[id].target === nodeId && !direct.has(g.edges[id].source)) direct.set(g.edges[id].source, g.edges[id].sourcePort)
    const rest = ancestors(g, nodeId).filter((id) => !direct.has(id))
    const portOf = (id: string) => store.getState().ui.nodeTypes[g.nodes[id].type]?.outputs[0]?.name ?? 'main'
    return [...[...direct].map(([id, port]) => ({ id, port, direct: true })), ...rest.map((id) => ({ id, port: portOf(id), direct: false }))]
  }, [store, nodeId, edges]) // eslint-disable-line react-hooks/exhaustive-deps
  const [chosen, setChosen] = useState<string | null>(null)
  const from = upstream.find((u) => u.id === chosen) ?? upstream[0]
  const fromName = from ? names[from.id]?.name ?? from.id : ''
  const onlyParent = upstream.filter((u) => u.direct).length === 1

  let source: ItemsSource | null = null
  let origin = ''
  if (from) {
    const ran = runSteps[from.id]
    const pin = pinned[from.id]
    if (ran?.status === 'succeeded' && executionId && !(pin && !runSteps[nodeId])) {
      source = { kind: 'run', executionId, nodeId: from.id, port: from.port, preview: ran.output?.[from.port] ?? [], total: ran.outputCounts[from.port] ?? 0 }
      origin = isPinnedStep(ran) ? 'pinned data, as the last run used it' : 'the last run'
    } else if (pin) {
      source = { kind: 'items', items: pin }
      origin = 'pinned data'
    }
  }

  const selector = upstream.length > 1 && (
    <Select aria-label="Input from" className="h-7 w-auto max-w-48 text-xs" value={from?.id ?? ''} onChange={(e) => setChosen(e.target.value)}
      options={upstream.map((u) => ({ value: u.id, label: `${names[u.id]?.name ?? u.id}${u.direct ? '' : ' (earlier)'}` }))} />
  )
  return (
    <ItemsPanel
      label="Input"
      testId="node-editor-input"
      source={source}
      toolbar={selector}
      drag={from ? { name: fromName, direct: from.direct && onlyParent } : null}
      notice={source && <p className="text-[11px] text-muted">From <strong className="text-fg">{fromName}</strong> · {origin}</p>}
      empty={
        trigger ? 'A trigger has no input: it starts the run.'
          : !from ? 'Connect a node before this one to see its items here.'
            : <>Run the workflow, or pin data on <strong>{fromName}</strong>, to see the items it passes here.</>
      }
    />
  )
}

/** The inspector's form, with fields that take a dragged input field. */
function ParamsColumn({ nodeId }: { nodeId: string }) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  const [over, setOver] = useState<HTMLElement | null>(null)
  const mark = useCallback((el: HTMLElement | null) => {
    setOver((prev) => {
      if (prev && prev !== el) prev.removeAttribute('data-drop-over')
      el?.setAttribute('data-drop-over', 'true')
      return el
    })
  }, [])

  // Only the Parameters tab maps onto params (the Settings tab's fields are the node's settings).
  const target = (e: DragEvent) => {
    if (readOnly || !carriesField(e)) return null
    const tab = (e.currentTarget as HTMLElement).querySelector('[role="tab"][aria-selected="true"]')
    return tab?.textContent === 'Parameters' ? dropTarget(e.target) : null
  }

  return (
    <div
      className="h-full min-h-0 [&_[data-drop-over]]:rounded-md [&_[data-drop-over]]:outline-2 [&_[data-drop-over]]:outline-offset-2 [&_[data-drop-over]]:outline-accent [&_[data-drop-over]]:outline-dashed"
      onDragOver={(e) => {
        const t = target(e)
        mark(t?.el ?? null)
        if (!t) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) mark(null)
      }}
      onDrop={(e) => {
        const t = target(e)
        mark(null)
        if (!t) return
        e.preventDefault()
        const params = store.getState().graph.nodes[nodeId]?.params ?? {}
        const [key, ...rest] = t.path
        const value = mappedValue(getIn(params, t.path), e.dataTransfer.getData(FIELD_MIME))
        dispatch(paramChanged({ id: nodeId, key, value: rest.length ? setIn(params[key], rest, value) : value }))
        dispatch(checkpoint())
      }}
      data-drop-active={over ? 'true' : undefined}
    >
      <NodeInspector nodeId={nodeId} embedded />
    </div>
  )
}

function OutputColumn({ nodeId, typeLabel, testResult }: { nodeId: string; typeLabel: string; testResult: ReactNode }) {
  const { executionId, runSteps } = useExecutionData()
  const node = useAppSelector((s) => s.graph.nodes[nodeId])
  const type = useAppSelector((s) => s.ui.nodeTypes[node.type])
  const usedPorts = useAppSelector((s) => selectSourcePorts(s, nodeId))
  const pinned = useAppSelector((s) => s.graph.pinData?.[nodeId])
  const step = runSteps[nodeId]
  const ports = [...new Set([...outputPorts(node, type, usedPorts).map((p) => p.name), ...Object.keys(step?.outputCounts ?? {})])]
  const [port, setPort] = useState(ports[0] ?? 'main')

  let source: ItemsSource | null = null
  if (pinned) source = { kind: 'items', items: pinned }
  else if (step?.status === 'succeeded' && executionId) {
    source = { kind: 'run', executionId, nodeId, port, preview: step.output?.[port] ?? [], total: step.outputCounts[port] ?? 0 }
  }

  const status = step && (
    <span className="flex items-center gap-1.5 whitespace-nowrap text-xs text-muted">
      <StatusBadge status={step.status} />
      {step.durationMs !== null && formatDuration(step.durationMs)}
      {isPinnedStep(step) && <span className="font-medium text-accent" data-testid="step-pinned">pinned</span>}
    </span>
  )
  return (
    <ItemsPanel
      label="Output"
      testId="node-editor-output"
      source={source}
      toolbar={<>{status}<PinControls nodeId={nodeId} executionId={executionId} step={step} port={ports[0] ?? 'main'} /></>}
      notice={
        <>
          {testResult}
          {pinned && <PinnedNotice count={pinned.length} typeLabel={typeLabel} />}
          {step?.error && (
            <div className="rounded-md border border-danger/40 bg-danger/5 p-2 text-xs text-danger" role="alert">
              {step.error.message}<ErrorCodeBadge code={step.error.code} />
            </div>
          )}
          {!pinned && ports.length > 1 && step?.status === 'succeeded' && (
            <Tabs label="Output port" value={port} onChange={setPort} tabs={ports.map((p) => ({ id: p, label: `${p} (${step.outputCounts[p] ?? 0})` }))} />
          )}
        </>
      }
      empty="Run the workflow or test this step to see its output here, or set pinned data."
    />
  )
}
