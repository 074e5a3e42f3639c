'use client'
import type { ExecutionStats } from '@/lib/client/types'
import { cn } from '@/components/ui'

const CARDS: Array<{ key: keyof ExecutionStats; label: string; tone: string }> = [
  { key: 'running', label: 'Running', tone: 'text-accent' },
  { key: 'queued', label: 'Queued', tone: 'text-muted' },
  { key: 'succeeded24h', label: 'Succeeded · 24 h', tone: 'text-ok' },
  { key: 'failed24h', label: 'Failed · 24 h', tone: 'text-danger' },
]

export function ExecutionCounters({ stats }: { stats: ExecutionStats | null }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {CARDS.map((c) => (
        <div key={c.key} className="rounded-lg border border-line bg-panel px-4 py-3" data-testid={`counter-${c.key}`}>
          <dt className="text-xs font-medium text-muted">{c.label}</dt>
          <dd className={cn('mt-1 text-2xl font-semibold tabular-nums', c.tone)}>{stats ? stats[c.key].toLocaleString() : '—'}</dd>
        </div>
      ))}
    </dl>
  )
}
