'use client'
import { cn } from '@/components/ui'
import { formatDuration } from '@/lib/client/format'
import type { Timeline as TimelineData } from '@/lib/client/timeline'
import type { StepRecord } from '@/lib/client/types'

const barTone: Record<StepRecord['status'], string> = {
  pending: 'bg-muted/40',
  running: 'bg-accent animate-pulse',
  retrying: 'bg-warn',
  succeeded: 'bg-ok',
  failed: 'bg-danger',
  skipped: 'bg-muted/40',
  canceled: 'bg-muted',
}

/** Gantt of an execution: one row per node, one bar per attempt (failed attempts before a retry show red). */
export function Timeline({ data, selectedNodeId, onSelect }: { data: TimelineData; selectedNodeId: string | null; onSelect: (nodeId: string) => void }) {
  if (data.rows.length === 0) return <p className="text-sm text-muted">No steps have started yet.</p>
  return (
    <div className="flex flex-col gap-1" data-testid="timeline">
      <div className="flex justify-between pl-44 text-[11px] text-muted tabular-nums">
        <span>0</span>
        <span>{formatDuration(data.spanMs / 2)}</span>
        <span>{formatDuration(data.spanMs)}</span>
      </div>
      {data.rows.map((row) => (
        <button
          key={row.nodeId}
          type="button"
          onClick={() => onSelect(row.nodeId)}
          aria-pressed={selectedNodeId === row.nodeId}
          data-testid="timeline-row"
          data-node-id={row.nodeId}
          data-status={row.status}
          className={cn('flex items-center gap-2 rounded-md px-1 py-1 text-left hover:bg-panel-2', selectedNodeId === row.nodeId && 'bg-accent-soft')}
        >
          <span className="w-42 shrink-0 truncate text-xs">
            {row.nodeName}
            {row.attempts > 1 && <span className="ml-1 text-warn">×{row.attempts}</span>}
            {row.bars.every((b) => b.reused) && <span className="ml-1 text-muted">· reused</span>}
          </span>
          <span className="relative h-4 flex-1 rounded bg-panel-2">
            {row.bars.map((b) => (
              <span
                key={b.stepId}
                title={
                  b.reused
                    ? `${row.nodeName} · reused from the earlier run (${formatDuration(b.durationMs)} there)`
                    : `${row.nodeName} · attempt ${b.attempt} · ${b.status} · ${formatDuration(b.durationMs)}`
                }
                data-reused={b.reused || undefined}
                className={cn('absolute top-0.5 bottom-0.5 rounded-sm', b.reused ? 'border border-dashed border-ok bg-ok/20' : barTone[b.status])}
                style={{ left: `${b.leftPct}%`, width: b.reused ? '0.75rem' : `${b.widthPct}%` }}
              />
            ))}
          </span>
        </button>
      ))}
    </div>
  )
}
