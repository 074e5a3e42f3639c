// A message's status as a pill (delivered green, failed red with the provider's error code), its channel as an icon,
// and the ticks chat apps use (one: sent, two: delivered, two blue: read).
import { Check, CheckCheck, Clock, MessageCircle, MessageSquare, Phone, Image as ImageIcon, X } from 'lucide-react'
import { Badge, cn, type BadgeTone } from '@/components/ui'
import type { MessageRow } from './data'

const TONES: Record<string, BadgeTone> = {
  delivered: 'success', read: 'success', received: 'info', completed: 'success',
  failed: 'danger', undelivered: 'danger', busy: 'danger', 'no-answer': 'warning', canceled: 'neutral',
  skipped: 'warning', pending: 'muted', queued: 'muted', accepted: 'muted', sending: 'info', sent: 'info', ringing: 'info', 'in-progress': 'info',
}

export const MESSAGE_STATUSES = ['pending', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'skipped', 'received']

export function MessageStatusBadge({ status, errorCode }: { status: string; errorCode?: string | null }) {
  return (
    <Badge tone={TONES[status] ?? 'neutral'}>
      <span data-status={status} className="size-1.5 rounded-full bg-current" />
      {status}
      {errorCode && status !== 'delivered' ? <span className="font-mono">· {errorCode}</span> : null}
    </Badge>
  )
}

const CHANNELS = { sms: MessageSquare, mms: ImageIcon, whatsapp: MessageCircle, voice: Phone } as const

export function ChannelIcon({ channel, className }: { channel: string; className?: string }) {
  const Icon = CHANNELS[channel as keyof typeof CHANNELS] ?? MessageSquare
  return <Icon className={cn('size-3.5', className)} aria-label={channel} />
}

export function StatusTicks({ message }: { message: Pick<MessageRow, 'status' | 'direction'> }) {
  if (message.direction === 'inbound') return null
  const s = message.status
  const label = `status: ${s}`
  if (s === 'failed' || s === 'undelivered') return <X className="size-3.5 text-danger" aria-label={label} />
  if (s === 'read') return <CheckCheck className="size-3.5 text-accent" aria-label={label} />
  if (s === 'delivered') return <CheckCheck className="size-3.5" aria-label={label} />
  if (s === 'sent' || s === 'sending' || s === 'queued') return <Check className="size-3.5" aria-label={label} />
  return <Clock className="size-3.5" aria-label={label} />
}

/** "Nov 30, 14:05:09" in the browser's zone. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
}
