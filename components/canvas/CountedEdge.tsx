'use client'
// An edge that shows how many items flowed along it in the selected execution, animated while data is moving.
import { memo } from 'react'
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react'
import { shallowEqual } from 'react-redux'
import { useAppSelector } from '@/lib/store'
import type { FlowEdge } from '@/lib/store/selectors'

function CountedEdgeView({ id, source, target, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd }: EdgeProps<FlowEdge>) {
  const { srcStep, dstStatus } = useAppSelector((s) => ({ srcStep: s.run.steps[source], dstStatus: s.run.steps[target]?.status }), shallowEqual)
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
  const port = sourceHandleId ?? 'main'
  const count = srcStep?.status === 'succeeded' || srcStep?.status === 'failed' ? srcStep.outputCounts[port] : undefined
  const moving = srcStep?.status === 'running' || dstStatus === 'running'
  const stroke = selected ? 'var(--accent)' : count !== undefined && count > 0 ? 'var(--ok)' : 'var(--muted)'
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={moving ? 'auterity-edge-running' : undefined}
        style={{ stroke, strokeWidth: selected ? 2.5 : 1.75, strokeDasharray: moving ? '6 4' : undefined }}
      />
      {count !== undefined && (
        <EdgeLabelRenderer>
          <div
            data-testid="edge-count"
            className="nodrag nopan pointer-events-none absolute rounded-full border border-line bg-panel px-1.5 text-[10px] font-medium text-fg"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {count} {count === 1 ? 'item' : 'items'}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  )
}

export const CountedEdge = memo(CountedEdgeView)
