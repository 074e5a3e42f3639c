'use client'
// One workflow step on the canvas. Reads its own slice of the store so that only nodes whose data changed re-render.
import { memo } from 'react'
import { Handle, Position, useStore, type NodeProps } from '@xyflow/react'
import type { ExecutionStatus } from '@/lib/engine/types'
import type { NodeRun } from '@/lib/store/run-slice'
import type { EditorNode, NodeTypeInfo, Problem } from '@/lib/store/types'
import { shallowEqual } from 'react-redux'
import { AlertTriangle, Ban, Check, Loader2, Pin, RotateCw, SkipForward, X } from 'lucide-react'
import { quickAddOpenedFor, useAppDispatch, useAppSelector } from '@/lib/store'
import { nodeRunView } from '@/lib/store/run-slice'
import { selectNodeProblems, selectSourcePorts, type FlowNode } from '@/lib/store/selectors'
import { formatDuration } from './format'
import { formatCost } from '@/lib/client/format'
import { CATEGORY_TONE, NodeIcon } from './icons'
import { inputPorts, outputPorts } from '@/lib/store/ports'
import type { StepProgressEvent } from '@/lib/realtime/events'
import { StepProgress } from '@/components/executions/StepProgress'

const STATUS_RING: Record<string, string> = {
  queued: 'border-dashed border-muted/60',
  running: 'border-accent ring-4 ring-accent/25 animate-pulse',
  retrying: 'border-warn ring-4 ring-warn/25',
  succeeded: 'border-ok',
  failed: 'border-danger ring-4 ring-danger/20',
  skipped: 'border-dashed border-line opacity-60',
  canceled: 'border-line opacity-70',
}

function StatusIcon({ status }: { status: string }) {
  const cls = 'size-3.5'
  switch (status) {
    case 'running':
      return <Loader2 className={`${cls} animate-spin text-accent`} />
    case 'retrying':
      return <RotateCw className={`${cls} text-warn`} />
    case 'succeeded':
      return <Check className={`${cls} text-ok`} />
    case 'failed':
      return <X className={`${cls} text-danger`} />
    case 'skipped':
      return <SkipForward className={`${cls} text-muted`} />
    case 'canceled':
      return <Ban className={`${cls} text-muted`} />
    default:
      return <span className="size-2 rounded-full bg-muted/50" />
  }
}

function StepNodeView({ id, selected }: NodeProps<FlowNode>) {
  // One subscription per node (a thousand nodes means a thousand of these run on every store change).
  const { node, type, usedPorts, step, runStatus, problems, progress, aiCost, pinned, readOnly } = useAppSelector((s) => {
    const n = s.graph.nodes[id]
    return {
      node: n,
      type: n ? s.ui.nodeTypes[n.type] : undefined,
      usedPorts: selectSourcePorts(s, id),
      step: s.run.steps[id],
      runStatus: s.run.status,
      problems: selectNodeProblems(s, id),
      progress: s.run.progress[id],
      aiCost: s.run.aiCostByNode[id],
      pinned: s.graph.pinData?.[id] !== undefined,
      readOnly: s.ui.viewingVersion !== null,
    }
  }, shallowEqual)
  if (!node) return null
  return <StepNodeBody id={id} selected={selected} node={node} type={type} usedPorts={usedPorts} step={step} runStatus={runStatus} problems={problems} progress={progress} aiCost={aiCost} pinned={pinned} readOnly={readOnly} />
}

/** Zoomed far out, icons are a few pixels wide: skipping their SVGs keeps a thousand visible nodes cheap to paint. */
const selectFar = (s: { transform: [number, number, number] }) => s.transform[2] < 0.45

type BodyProps = Omit<NodeProps<FlowNode>, 'data' | 'type' | 'dragging' | 'zIndex' | 'isConnectable' | 'positionAbsoluteX' | 'positionAbsoluteY' | 'draggable' | 'selectable' | 'deletable'> & {
  node: EditorNode
  type: NodeTypeInfo | undefined
  usedPorts: string[]
  step: NodeRun | undefined
  runStatus: ExecutionStatus | null
  problems: Problem[]
  progress: StepProgressEvent | undefined
  /** What the shown run's AI calls from this node cost (USD string), if any. */
  aiCost: string | undefined
  /** Output pinned: designer runs use the pinned items instead of running the node. */
  pinned?: boolean
  /** A version viewed read-only: no "+" on the ports. */
  readOnly: boolean
}

/**
 * The "+" after an output port: opens quick-add, which adds the chosen node on this branch. A free port shows a
 * stub and a full-size "+" (n8n's gesture); a port already connected a small one (adds another branch).
 */
function PortAdd({ nodeId, port, label, connected }: { nodeId: string; port: string; label: string; connected: boolean }) {
  const dispatch = useAppDispatch()
  return (
    <>
      {!connected && <span className="h-px w-3 bg-muted/60" />}
      <button
        type="button"
        data-testid={`port-add-${port}`}
        aria-label={`Add a node after ${label}`}
        title={connected ? `Add another node after ${label}` : `Add a node after ${label}`}
        onClick={(e) => {
          e.stopPropagation()
          dispatch(quickAddOpenedFor({ kind: 'port', nodeId, port }))
        }}
        className={[
          'nodrag nopan pointer-events-auto flex shrink-0 items-center justify-center border border-line bg-panel text-muted hover:border-accent hover:text-accent',
          connected ? 'size-3.5 rounded-full opacity-70 hover:opacity-100' : 'size-5 rounded',
        ].join(' ')}
      >
        {/* A text glyph, not an icon: a thousand nodes would otherwise each paint one more SVG as the designer opens. */}
        <span aria-hidden className={connected ? 'text-[11px] leading-none' : 'text-sm leading-none'}>+</span>
      </button>
    </>
  )
}

function StepNodeBody({ id, selected, node, type, usedPorts, step, runStatus, problems, progress, aiCost, pinned, readOnly }: BodyProps) {
  const far = useStore(selectFar)
  const run = nodeRunView(runStatus, step)
  const inputs = inputPorts(type)
  const outputs = outputPorts(node, type, usedPorts)
  const disabled = node.settings.disabled
  const multiOut = outputs.length > 1
  const height = Math.max(64, 28 + Math.max(outputs.length, inputs.length) * 22)
  return (
    <div
      data-testid={`node-${node.name}`}
      data-status={run?.status ?? 'idle'}
      className={[
        'relative flex w-[220px] rounded-lg border-2 bg-panel text-fg',
        run ? STATUS_RING[run.status] ?? 'border-line' : 'border-line',
        selected ? 'shadow-[0_0_0_2px_var(--accent)]' : '',
        disabled ? 'opacity-50' : '',
      ].join(' ')}
      style={{ minHeight: height }}
      title={problems.map((p) => p.message).join('\n') || undefined}
    >
      {inputs.map((p, i) => (
        <Handle
          key={p.name}
          id={p.name}
          type="target"
          position={Position.Left}
          style={{ top: inputs.length === 1 ? '50%' : 20 + i * 22 }}
          className="!size-3 !border-2 !border-panel !bg-muted"
          title={p.label ?? p.name}
        />
      ))}
      <div className="flex min-w-0 flex-1 items-center gap-2.5 px-2.5 py-2">
        <div className={`flex size-9 shrink-0 items-center justify-center rounded-md ${CATEGORY_TONE[type?.category ?? 'core'] ?? CATEGORY_TONE.core}`}>
          {!far && <NodeIcon icon={type?.icon} className="size-5" />}
        </div>
        <div className="min-w-0 flex-1">
          <div className="truncate text-sm font-medium leading-tight">{node.name}</div>
          {(type?.label ?? node.type).toLowerCase() !== node.name.toLowerCase() || disabled ? (
            <div className="truncate text-xs text-muted">{type?.label ?? node.type}{disabled ? ' · disabled' : ''}</div>
          ) : null}
          {run && (
            <div className="mt-0.5 flex items-center gap-1 text-[11px] text-muted" data-testid="node-run">
              {!far && <StatusIcon status={run.status} />}
              <span>{run.label}</span>
              {run.durationMs !== null && <span>· {formatDuration(run.durationMs)}</span>}
            </div>
          )}
          {run?.status === 'running' && <StepProgress progress={progress} compact className="mt-1" />}
        </div>
      </div>
      {aiCost && (
        <div
          className="absolute -bottom-2.5 right-2 rounded-full border border-line bg-panel-2 px-1.5 py-0.5 text-[10px] font-medium tabular-nums text-muted"
          data-testid="node-cost"
          title={`$${aiCost} spent on AI calls in this run`}
        >
          {formatCost(aiCost)}
        </div>
      )}
      {pinned && (
        <div className="absolute -top-2.5 -left-2.5 flex items-center rounded-full bg-accent p-1 text-accent-fg" data-testid="node-pinned" title="Output pinned: designer runs use the pinned items instead of running this node">
          <Pin className="size-3" />
        </div>
      )}
      {problems.length > 0 && (
        <div className="absolute -top-2.5 -right-2.5 flex items-center gap-0.5 rounded-full bg-warn px-1.5 py-0.5 text-[10px] font-semibold text-white" data-testid="node-problems">
          <AlertTriangle className="size-3" />
          {problems.length}
        </div>
      )}
      {outputs.map((p, i) => {
        const top = multiOut ? 20 + i * 22 : '50%'
        const label = p.label ?? p.name
        const plus = !readOnly && !far
        return (
          <div key={p.name}>
            {(multiOut || plus) && (
              <div className="pointer-events-none absolute left-[calc(100%+8px)] flex -translate-y-1/2 items-center gap-1" style={{ top }}>
                {multiOut && <span className="rounded bg-canvas/80 px-0.5 text-[10px] leading-none text-muted">{label}</span>}
                {plus && <PortAdd nodeId={id} port={p.name} label={multiOut ? `"${node.name}" (${label})` : `"${node.name}"`} connected={usedPorts.includes(p.name)} />}
              </div>
            )}
            <Handle
              id={p.name}
              type="source"
              position={Position.Right}
              style={{ top }}
              className={`!size-3 !border-2 !border-panel ${p.name === 'error' ? '!bg-danger' : '!bg-accent'}`}
              title={label}
            />
          </div>
        )
      })}
    </div>
  )
}

export const StepNode = memo(StepNodeView)
