'use client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Link from 'next/link'
import { ArrowLeft } from 'lucide-react'
import { Button, EmptyState, Spinner, StatusBadge, cn } from '@/components/ui'
import { api, ApiError, errorMessage } from '@/lib/client/api'
import { elapsed, formatCost, formatDuration, formatRelative, iterationText } from '@/lib/client/format'
import { useRealtime } from '@/lib/client/socket'
import { noteServerTime } from '@/lib/client/server-clock'
import { canRetryFromFailed, layoutTimeline } from '@/lib/client/timeline'
import type { ExecutionDetail as Detail, StepRecord } from '@/lib/client/types'
import type { StepProgressEvent } from '@/lib/realtime/events'
import { Conversation } from './Conversation'
import { ExecutionActions } from './ExecutionActions'
import { StartedBy, StepChildRuns, SubWorkflowRuns } from './RunLinks'
import { StepData } from './StepData'
import { StepProgress } from './StepProgress'
import { Timeline } from './Timeline'
import { useNow } from './useNow'

/** A settled step's recorded duration; a running one's time since it started, counting up. */
function stepDuration(s: StepRecord, now: number): number | null {
  if (s.status === 'running' || s.status === 'retrying') return elapsed(s.startedAt, null, now)
  return s.durationMs ?? (s.finishedAt ? elapsed(s.startedAt, s.finishedAt) : null)
}

/** How long after a run ends its last AI calls may still be on their way to the ledger (batched, ~200 ms). */
const LEDGER_LAG_MS = 1500

/** One execution: status, actions, Gantt timeline of its steps and the selected step's data. Live while it runs. */
export function ExecutionDetail({ executionId }: { executionId: string }) {
  const [exec, setExec] = useState<Detail | null>(null)
  const [error, setError] = useState<{ message: string; notFound: boolean } | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  // The latest progress event per step (lost on reload: it is live only), and a counter the conversation refetches on.
  const [progress, setProgress] = useState<Record<string, StepProgressEvent>>({})
  const [stepVersion, setStepVersion] = useState(0)

  const load = useCallback(async () => {
    try {
      const sentAt = Date.now()
      const detail = await api.executions.get(executionId)
      noteServerTime(detail.serverTime, sentAt)
      setExec(detail)
      setError(null)
    } catch (err) {
      setError({ message: errorMessage(err), notFound: err instanceof ApiError && err.status === 404 })
    }
  }, [executionId])
  useEffect(() => void load(), [load])

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const scheduleLoad = useCallback(() => {
    if (timer.current) return
    timer.current = setTimeout(() => {
      timer.current = null
      void load()
    }, 250)
  }, [load])
  useEffect(() => () => clearTimeout(timer.current ?? undefined), [])
  useRealtime(`execution:${executionId}`, {
    'execution.updated': (ev) => {
      setExec((e) => (e ? { ...e, status: ev.status, startedAt: ev.startedAt, finishedAt: ev.finishedAt, error: ev.error } : e))
      scheduleLoad()
      // The AI ledger is written in batches shortly after each call: look once more for the run's last costs.
      if (ev.status !== 'queued' && ev.status !== 'running') setTimeout(() => void load(), LEDGER_LAG_MS)
    },
    'step.updated': () => {
      scheduleLoad()
      setStepVersion((v) => v + 1)
    },
    'step.progress': (p) => setProgress((all) => ({ ...all, [p.nodeId]: p })),
    onResync: () => void load(),
  })

  const running = exec?.status === 'running' || exec?.status === 'queued'
  const now = useNow(running)
  // Safety net for a socket that is down or slow to join: refetch every few seconds while the run is active.
  useEffect(() => {
    if (!running) return
    const t = setInterval(() => void load(), 5000)
    return () => clearInterval(t)
  }, [running, load])
  const timeline = useMemo(() => (exec ? layoutTimeline(exec.steps, exec, now) : null), [exec, now])
  // Default selection: the failed step, else the last one that ran.
  const latestByNode = useMemo(() => {
    const m = new Map<string, StepRecord>()
    for (const s of exec?.steps ?? []) if ((m.get(s.nodeId)?.attempt ?? 0) <= s.attempt) m.set(s.nodeId, s)
    return m
  }, [exec])
  const selectedNode = selected ?? exec?.steps.find((s) => s.status === 'failed')?.nodeId ?? exec?.steps.at(-1)?.nodeId ?? null
  const step = selectedNode ? latestByNode.get(selectedNode) : undefined

  if (error) {
    return (
      <EmptyState
        title={error.notFound ? 'Execution not found' : 'Could not load the execution'}
        description={error.notFound ? 'It may have been deleted with its workflow.' : error.message}
        action={error.notFound ? <Link href="/executions" className="text-sm text-accent hover:underline">Back to executions</Link> : <Button onClick={() => void load()}>Try again</Button>}
      />
    )
  }
  if (!exec || !timeline) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted">
        <Spinner /> Loading execution…
      </p>
    )
  }

  return (
    <div className="flex flex-col gap-5" data-testid="execution-detail" data-status={exec.status}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1.5">
          <Link href="/executions" className="flex items-center gap-1 text-xs text-muted hover:text-fg">
            <ArrowLeft className="size-3.5" /> Executions
          </Link>
          <div className="flex items-center gap-2">
            <h1 className="text-xl font-semibold">
              <Link href={`/workflows/${exec.workflowId}`} className="hover:text-accent hover:underline">
                {exec.workflowName}
              </Link>
            </h1>
            <StatusBadge status={exec.status} />
          </div>
          <p className="text-xs text-muted" data-testid="execution-meta">
            v{exec.versionNumber} · {exec.mode} · started {formatRelative(exec.startedAt ?? exec.createdAt, now)} · {formatDuration(elapsed(exec.startedAt, exec.finishedAt, now))} ·{' '}
            <span className="font-mono">{exec.id}</span>
            {exec.aiCostUsd && (
              <>
                {' · '}
                <span data-testid="execution-cost" title={`$${exec.aiCostUsd} spent on AI calls`}>
                  AI {formatCost(exec.aiCostUsd)}
                </span>
              </>
            )}
          </p>
          <StartedBy parent={exec.parent} mode={exec.mode} />
        </div>
        <ExecutionActions executionId={exec.id} status={exec.status} canRetryFromFailed={canRetryFromFailed(exec)} size="md" openNew canDelete versionNumber={exec.versionNumber} />
      </div>

      {exec.error && (
        <div role="alert" className="rounded-lg border border-danger/40 bg-danger/10 px-4 py-3 text-sm">
          <p className="font-medium text-danger">
            {exec.error.nodeId ? `Step “${latestByNode.get(exec.error.nodeId)?.nodeName ?? exec.error.nodeId}” failed: ` : 'Failed: '}
            {exec.error.message}
          </p>
          <p className="mt-1 text-xs text-muted">Fix the step in the designer and use “Re-run from failed step” to keep the steps that already succeeded.</p>
        </div>
      )}

      <section className="rounded-lg border border-line bg-panel p-4" aria-label="Timeline">
        <h2 className="mb-3 text-sm font-semibold">Timeline</h2>
        <Timeline data={timeline} selectedNodeId={selectedNode} onSelect={setSelected} />
      </section>

      <Conversation executionId={exec.id} active={running} version={stepVersion} />

      <SubWorkflowRuns runs={exec.children} now={now} />

      <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
        <nav aria-label="Steps" className="flex flex-col gap-0.5 rounded-lg border border-line bg-panel p-2">
          {[...latestByNode.values()].map((s) => (
            <button
              key={s.nodeId}
              type="button"
              onClick={() => setSelected(s.nodeId)}
              aria-current={s.nodeId === selectedNode ? 'true' : undefined}
              data-testid="step-item"
              data-node-id={s.nodeId}
              className={cn('flex items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-panel-2', s.nodeId === selectedNode && 'bg-accent-soft')}
            >
              <span className="flex min-w-0 flex-1 flex-col gap-1">
                <span className="flex min-w-0 items-baseline gap-1.5">
                  <span className="truncate">{s.nodeName}</span>
                  {exec.aiCostByNode[s.nodeId] && (
                    <span className="shrink-0 text-[11px] tabular-nums text-muted" data-testid="step-cost" title={`$${exec.aiCostByNode[s.nodeId]} spent on AI calls`}>
                      {formatCost(exec.aiCostByNode[s.nodeId])}
                    </span>
                  )}
                </span>
                {s.status === 'running' && <StepProgress progress={progress[s.nodeId]} compact />}
              </span>
              <span className="shrink-0 text-[11px] tabular-nums text-muted" data-testid="step-duration">
                {formatDuration(stepDuration(s, now))}
              </span>
              <StatusBadge status={s.status} />
            </button>
          ))}
          {latestByNode.size === 0 && <p className="p-2 text-sm text-muted">No steps yet.</p>}
        </nav>
        <section className="min-w-0 rounded-lg border border-line bg-panel p-4" aria-label="Step data">
          {step ? (
            <>
              <h2 className="mb-3 flex items-center gap-2 text-sm font-semibold">
                {step.nodeName} <span className="font-normal text-muted">{step.nodeType} · {step.iteration === null ? `attempt ${step.attempt}` : iterationText(step)} · {formatDuration(stepDuration(step, now))}{exec.aiCostByNode[step.nodeId] ? ` · AI ${formatCost(exec.aiCostByNode[step.nodeId])} (all attempts)` : ''}</span>
              </h2>
              {step.status === 'running' && <StepProgress progress={progress[step.nodeId]} className="mb-3" />}
              <StepChildRuns runs={exec.children} nodeId={step.nodeId} now={now} />
              <StepData executionId={exec.id} step={step} attempts={exec.steps.filter((s) => s.nodeId === step.nodeId)} />
            </>
          ) : (
            <p className="text-sm text-muted">Select a step to see its input and output.</p>
          )}
        </section>
      </div>
    </div>
  )
}
