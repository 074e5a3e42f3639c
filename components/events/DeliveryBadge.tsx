import { Badge, type BadgeTone } from '@/components/ui'
import type { DeliveryStatus } from './types'

const tone: Record<DeliveryStatus, BadgeTone> = {
  pending: 'muted',
  running: 'info',
  delivered: 'success',
  dead: 'danger',
  discarded: 'muted',
}

export function DeliveryBadge({ status }: { status: DeliveryStatus }) {
  return <Badge tone={tone[status] ?? 'neutral'}>{status}</Badge>
}

/** "2 delivered · 1 dead" for an event's deliveries. */
export function DeliveryCounts({ counts }: { counts: Partial<Record<DeliveryStatus, number>> }) {
  const entries = Object.entries(counts).filter(([, n]) => n) as [DeliveryStatus, number][]
  if (entries.length === 0) return <span className="text-muted">no subscribers</span>
  return (
    <span className="flex flex-wrap gap-1">
      {entries.map(([status, n]) => (
        <Badge key={status} tone={tone[status]}>
          {n} {status}
        </Badge>
      ))}
    </span>
  )
}
