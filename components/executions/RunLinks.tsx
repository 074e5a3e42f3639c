'use client'
// Runs started by runs: "Started by" on a sub-workflow or error workflow run, the runs this one started, and on an
// Execute Workflow step the child runs it started.
import Link from 'next/link'
import { CornerLeftUp, Workflow } from 'lucide-react'
import { StatusBadge } from '@/components/ui'
import { formatRelative } from '@/lib/client/format'
import type { ChildExecution, ExecutionDetail } from '@/lib/client/types'

export function StartedBy({ parent, mode }: { parent: ExecutionDetail['parent']; mode: string }) {
  if (!parent) return null
  return (
    <p className="flex items-center gap-1 text-xs text-muted" data-testid="started-by">
      <CornerLeftUp className="size-3.5" aria-hidden />
      {mode === 'error' ? 'Error workflow of' : 'Started by'}{' '}
      <Link href={`/executions/${parent.id}`} className="text-accent hover:underline">
        {parent.workflowName}
      </Link>
      {parent.nodeId && <span>({mode === 'error' ? 'failed at' : 'step'} {parent.nodeId})</span>}
    </p>
  )
}

function RunList({ runs, now, label }: { runs: ChildExecution[]; now: number; label: string }) {
  return (
    <ul className="flex flex-col divide-y divide-line" aria-label={label}>
      {runs.map((r) => (
        <li key={r.id} className="flex items-center justify-between gap-3 py-1.5 text-sm" data-testid="child-run">
          <Link href={`/executions/${r.id}`} className="flex min-w-0 items-center gap-1.5 hover:text-accent hover:underline">
            <Workflow className="size-3.5 shrink-0 text-muted" aria-hidden />
            <span className="truncate">{r.workflowName}</span>
            <span className="font-mono text-xs text-muted">{r.id}</span>
          </Link>
          <span className="flex shrink-0 items-center gap-2 text-xs text-muted">
            {r.mode === 'error' ? 'error workflow · ' : r.nodeId ? `${r.nodeId} · ` : ''}
            {formatRelative(r.createdAt, now)}
            <StatusBadge status={r.status} />
          </span>
        </li>
      ))}
    </ul>
  )
}

/** Every run this one started (newest 50). */
export function SubWorkflowRuns({ runs, now }: { runs: ChildExecution[]; now: number }) {
  if (runs.length === 0) return null
  return (
    <section className="rounded-lg border border-line bg-panel p-4" aria-label="Sub-workflow runs">
      <h2 className="mb-2 text-sm font-semibold">Sub-workflow runs</h2>
      <RunList runs={runs} now={now} label="Sub-workflow runs" />
    </section>
  )
}

/** The child runs one step started (an Execute Workflow step), above its data. */
export function StepChildRuns({ runs, nodeId, now }: { runs: ChildExecution[]; nodeId: string; now: number }) {
  const mine = runs.filter((r) => r.nodeId === nodeId && r.mode !== 'error')
  if (mine.length === 0) return null
  return (
    <div className="mb-3 rounded-md border border-line px-3 py-1" data-testid="step-child-runs">
      <RunList runs={mine} now={now} label="Runs this step started" />
    </div>
  )
}
