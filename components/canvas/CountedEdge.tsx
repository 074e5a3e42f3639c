'use client'
// An edge that shows how many items flowed along it in the selected execution, animated while data is moving, and
// offers a "+" at its middle while hovered (quick-add inserts a node into it).
import { memo, useCallback, useEffect, useRef, useState } from 'react'
import { Plus } from 'lucide-react'
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react'
import { shallowEqual } from 'react-redux'
import { quickAddOpenedFor, useAppDispatch, useAppSelector } from '@/lib/store'
import type { FlowEdge } from '@/lib/store/selectors'

function CountedEdgeView({ id, source, target, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd }: EdgeProps<FlowEdge>) {
  const { srcStep, dstStatus, readOnly } = useAppSelector(
    (s) => ({ srcStep: s.run.steps[source], dstStatus: s.run.steps[target]?.status, readOnly: s.ui.viewingVersion !== null }),
    shallowEqual,
  )
  const hover = useHover()
  const dispatch = useAppDispatch()
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
  const port = sourceHandleId ?? 'main'
  const count = srcStep?.status === 'succeeded' || srcStep?.status === 'failed' ? srcStep.outputCounts[port] : undefined
  const moving = srcStep?.status === 'running' || dstStatus === 'running'
  const stroke = selected ? 'var(--accent)' : count !== undefined && count > 0 ? 'var(--ok)' : 'var(--muted)'
  return (
    <>
      <g onMouseEnter={hover.enter} onMouseLeave={hover.leave}>
        <BaseEdge
          id={id}
          path={path}
          markerEnd={markerEnd}
          className={moving ? 'auterity-edge-running' : undefined}
          style={{ stroke, strokeWidth: selected ? 2.5 : 1.75, strokeDasharray: moving ? '6 4' : undefined }}
        />
      </g>
      {!readOnly && (hover.on || selected) && (
        <EdgeLabelRenderer>
          <button
            type="button"
            data-testid="edge-add"
            data-edge={id}
            aria-label="Insert a node here"
            title="Insert a node here"
            onMouseEnter={hover.enter}
            onMouseLeave={hover.leave}
            onClick={() => dispatch(quickAddOpenedFor({ kind: 'edge', edgeId: id }))}
            className="nodrag nopan absolute flex size-5 items-center justify-center rounded border border-line bg-panel text-muted shadow-sm hover:border-accent hover:text-accent"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY + (count !== undefined ? 16 : 0)}px)`, pointerEvents: 'all' }}
          >
            <Plus className="size-3.5" />
          </button>
        </EdgeLabelRenderer>
      )}
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

/** Hovered, with a grace period so the pointer can travel from the edge's line onto its "+" (drawn in another layer). */
function useHover() {
  const [on, setOn] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const enter = useCallback(() => {
    clearTimeout(timer.current)
    setOn(true)
  }, [])
  const leave = useCallback(() => {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => setOn(false), 250)
  }, [])
  useEffect(() => () => clearTimeout(timer.current), [])
  return { on, enter, leave }
}

export const CountedEdge = memo(CountedEdgeView)
