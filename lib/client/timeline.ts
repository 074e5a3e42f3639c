// Lays out an execution's step attempts as a Gantt chart: one row per node (in the order nodes first started),
// one bar per attempt, positions in percent of the execution's time span. Pure, so it is unit-tested.
import type { StepRecord } from './types'

export interface TimelineBar {
  stepId: string
  attempt: number
  status: StepRecord['status']
  /** Percent of the span from the left edge, and width in percent (at least `minWidthPct` so instant steps show). */
  leftPct: number
  widthPct: number
  durationMs: number | null
  startedAt: string | null
  /** Settled in the earlier execution this one re-ran from its failed step (its output was reused, not recomputed). */
  reused: boolean
}

export interface TimelineRow {
  nodeId: string
  nodeName: string
  nodeType: string
  /** Status of the last attempt. */
  status: StepRecord['status']
  attempts: number
  bars: TimelineBar[]
}

export interface Timeline {
  startMs: number
  endMs: number
  spanMs: number
  rows: TimelineRow[]
}

export function layoutTimeline(
  steps: StepRecord[],
  execution: { startedAt: string | null; finishedAt: string | null; createdAt: string },
  now = Date.now(),
  minWidthPct = 0.6,
): Timeline {
  // A re-run from the failed step starts with copies of the earlier run's settled steps, which keep their times:
  // anything that finished before this execution was created was reused, and is drawn at the start, not placed on
  // this run's time axis (which it would stretch back to the earlier run).
  const created = Date.parse(execution.createdAt)
  const reused = (s: StepRecord) => !!s.finishedAt && Date.parse(s.finishedAt) < created
  const times = steps
    .filter((s) => !reused(s))
    .flatMap((s) => [s.startedAt, s.finishedAt])
    .filter((t): t is string => !!t)
    .map(Date.parse)
  // The chart starts with the first step, not with the execution: time spent queued or loading is not a step.
  const startMs = times.length ? Math.min(...times) : Date.parse(execution.startedAt ?? execution.createdAt)
  const running = steps.some((s) => s.status === 'running' || s.status === 'retrying') || !execution.finishedAt
  const endMs = Math.max(execution.finishedAt ? Date.parse(execution.finishedAt) : startMs, running ? now : startMs, ...times, startMs + 1)
  const spanMs = endMs - startMs

  const byNode = new Map<string, StepRecord[]>()
  const ordered = [...steps].sort((a, b) => (Date.parse(a.startedAt ?? '') || Infinity) - (Date.parse(b.startedAt ?? '') || Infinity) || a.attempt - b.attempt)
  for (const s of ordered) byNode.set(s.nodeId, [...(byNode.get(s.nodeId) ?? []), s])

  const rows: TimelineRow[] = [...byNode.values()].map((attempts) => {
    const last = attempts[attempts.length - 1]
    return {
      nodeId: last.nodeId,
      nodeName: last.nodeName,
      nodeType: last.nodeType,
      status: last.status,
      attempts: attempts.length,
      bars: attempts.map((s) => {
        if (reused(s)) return { stepId: s.id, attempt: s.attempt, status: s.status, leftPct: 0, widthPct: minWidthPct, durationMs: s.durationMs, startedAt: s.startedAt, reused: true }
        const from = s.startedAt ? Date.parse(s.startedAt) : startMs
        const to = s.finishedAt ? Date.parse(s.finishedAt) : s.startedAt && (s.status === 'running' || s.status === 'retrying') ? endMs : from
        const leftPct = ((from - startMs) / spanMs) * 100
        const widthPct = Math.min(100 - leftPct, Math.max(minWidthPct, ((to - from) / spanMs) * 100))
        return { stepId: s.id, attempt: s.attempt, status: s.status, leftPct, widthPct, durationMs: s.durationMs ?? (s.finishedAt || to > from ? Math.max(0, to - from) : null), startedAt: s.startedAt, reused: false }
      }),
    }
  })
  return { startMs, endMs, spanMs, rows }
}

/** "Re-run from the failed step" only makes sense for a failed execution that recorded a failed step. */
export function canRetryFromFailed(execution: { status: string; steps?: Array<{ status: string }> }): boolean {
  return execution.status === 'failed' && (execution.steps ?? []).some((s) => s.status === 'failed')
}
