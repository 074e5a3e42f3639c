import type { ReactNode } from 'react'
import { cn } from './cn'

export type BadgeTone = 'neutral' | 'info' | 'success' | 'danger' | 'warning' | 'muted'

const tones: Record<BadgeTone, string> = {
  neutral: 'bg-panel-2 text-fg border-line',
  info: 'bg-accent-soft text-accent border-transparent',
  success: 'bg-ok/15 text-ok border-transparent',
  danger: 'bg-danger/15 text-danger border-transparent',
  warning: 'bg-warn/15 text-warn border-transparent',
  muted: 'bg-transparent text-muted border-line',
}

export function Badge({ tone = 'neutral', children, className }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return (
    <span className={cn('inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium', tones[tone], className)}>
      {children}
    </span>
  )
}

/** Every status an execution or a step can be in (see lib/engine/types.ts and lib/realtime/events.ts). */
export type RunStatus = 'queued' | 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'skipped' | 'canceled'

const statusTone: Record<RunStatus, BadgeTone> = {
  queued: 'muted',
  pending: 'muted',
  running: 'info',
  retrying: 'warning',
  succeeded: 'success',
  failed: 'danger',
  skipped: 'muted',
  canceled: 'neutral',
}

export const statusLabel: Record<RunStatus, string> = {
  queued: 'Queued',
  pending: 'Pending',
  running: 'Running',
  retrying: 'Retrying',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  canceled: 'Canceled',
}

/** Status pill; `data-status` lets tests and the canvas styling key off the raw value. */
export function StatusBadge({ status, className }: { status: RunStatus | string; className?: string }) {
  const s = (status in statusTone ? status : 'pending') as RunStatus
  return (
    <Badge tone={statusTone[s]} className={className}>
      <span data-status={status} className={cn('size-1.5 rounded-full bg-current', s === 'running' && 'animate-pulse')} />
      {statusLabel[s] ?? status}
    </Badge>
  )
}
