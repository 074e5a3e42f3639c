'use client'
// A step's live progress (the `step.progress` event a node emits with ctx.emit, relayed by the worker): any numbers
// with a `total` and a done-like count become "12 / 40 sent · 1 failed" and a bar; other keys are listed as they are.
import type { StepProgressEvent } from '@/lib/realtime/events'
import { cn } from '@/components/ui'

/** Keys that say how many of `total` are done, in the order they are looked for. */
const DONE_KEYS = ['done', 'sent', 'processed', 'completed', 'current', 'count', 'finished']

export interface ProgressSummary {
  total: number | null
  done: number | null
  doneLabel: string
  /** "1 failed", "2 skipped": the other counts above zero. */
  extras: string[]
  /** 0..1 when total and done are known. */
  fraction: number | null
}

export function summarizeProgress(data: unknown): ProgressSummary | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null
  const d = data as Record<string, unknown>
  const num = (k: string) => (typeof d[k] === 'number' && Number.isFinite(d[k]) ? (d[k] as number) : null)
  const total = num('total')
  const doneKey = DONE_KEYS.find((k) => num(k) !== null)
  const done = doneKey ? num(doneKey) : null
  const extras = Object.entries(d)
    .filter(([k]) => k !== 'total' && k !== doneKey)
    .flatMap(([k, v]) => (typeof v === 'number' ? (v > 0 ? [`${v} ${k}`] : []) : typeof v === 'string' || typeof v === 'boolean' ? [`${k}: ${String(v).slice(0, 60)}`] : []))
  if (total === null && done === null && extras.length === 0) return null
  const fraction = total && done !== null ? Math.min(1, Math.max(0, done / total)) : null
  return { total, done, doneLabel: doneKey ?? 'done', extras, fraction }
}

export function progressText(s: ProgressSummary): string {
  const head = s.done !== null ? (s.total !== null ? `${s.done} / ${s.total} ${s.doneLabel}` : `${s.done} ${s.doneLabel}`) : s.total !== null ? `${s.total} in all` : ''
  return [head, ...s.extras].filter(Boolean).join(' · ')
}

export function StepProgress({ progress, compact, className }: { progress: StepProgressEvent | undefined; compact?: boolean; className?: string }) {
  const s = progress ? summarizeProgress(progress.data) : null
  if (!s) return null
  return (
    <div className={cn('flex flex-col gap-1', className)} data-testid="step-progress">
      <span className={cn('tabular-nums text-muted', compact ? 'text-[11px]' : 'text-xs')}>{progressText(s)}</span>
      {s.fraction !== null && (
        <div className="h-1.5 w-full overflow-hidden rounded-full bg-panel-2" role="progressbar" aria-valuemin={0} aria-valuemax={s.total ?? 0} aria-valuenow={s.done ?? 0}>
          <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${Math.round(s.fraction * 100)}%` }} />
        </div>
      )}
    </div>
  )
}
