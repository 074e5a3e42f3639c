'use client'
// A run's conversation: what it sent and received (SMS, MMS, WhatsApp) and its calls, as chat bubbles in time order —
// outbound right, inbound left — with channel, status ticks and errors. Hidden when the run has none. Refetched when
// the page signals a step changed (`version`) and every 2 s while the run is active.
import { useCallback, useEffect, useState } from 'react'
import { Phone } from 'lucide-react'
import { cn } from '@/components/ui'
import { messagingApi, type CallRow, type MessageDetail } from '@/components/messaging/data'
import { ChannelIcon, formatWhen, MessageStatusBadge, StatusTicks } from '@/components/messaging/MessageStatus'

type Entry = { kind: 'message'; at: string; m: MessageDetail } | { kind: 'call'; at: string; c: CallRow }

export function Conversation({ executionId, active, version }: { executionId: string; active: boolean; version: number }) {
  const [entries, setEntries] = useState<Entry[] | null>(null)
  const load = useCallback(async () => {
    try {
      const r = await messagingApi.conversation(executionId)
      const all: Entry[] = [...r.messages.map((m) => ({ kind: 'message' as const, at: m.createdAt, m })), ...r.calls.map((c) => ({ kind: 'call' as const, at: c.createdAt, c }))]
      setEntries(all.sort((x, y) => x.at.localeCompare(y.at)))
    } catch {
      // The conversation is an extra: the run view stays as it is without it.
    }
  }, [executionId])
  useEffect(() => void load(), [load, version])
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => void load(), 2000)
    return () => clearInterval(t)
  }, [active, load])
  if (!entries || entries.length === 0) return null
  return (
    <section className="rounded-lg border border-line bg-panel p-4" aria-label="Conversation">
      <h2 className="mb-3 text-sm font-semibold">Conversation</h2>
      <ol className="flex flex-col gap-2.5">
        {entries.map((e) => (e.kind === 'message' ? <Bubble key={e.m.id} m={e.m} /> : <CallEntry key={e.c.id} c={e.c} />))}
      </ol>
    </section>
  )
}

function Bubble({ m }: { m: MessageDetail }) {
  const out = m.direction === 'outbound'
  const failed = m.status === 'failed' || m.status === 'undelivered'
  const media = ((m.content as { media?: Array<{ url?: string }> } | null)?.media ?? []).filter((x) => x.url)
  return (
    <li className={cn('flex', out ? 'justify-end' : 'justify-start')} data-testid="conversation-message" data-direction={m.direction} data-status={m.status}>
      <div
        className={cn(
          'max-w-[75%] rounded-2xl px-3.5 py-2 text-sm shadow-sm',
          out ? 'rounded-br-sm bg-accent text-accent-fg' : 'rounded-bl-sm border border-line bg-panel-2',
          failed && 'border border-danger bg-danger/10 text-fg',
        )}
      >
        <p className={cn('mb-0.5 flex items-center gap-1.5 text-[11px]', out && !failed ? 'opacity-80' : 'text-muted')}>
          <ChannelIcon channel={m.channel} className="size-3" /> {out ? `to ${m.to}` : `from ${m.from}`}
        </p>
        {m.body && <p className="whitespace-pre-wrap break-words">{m.body}</p>}
        {media.map((x) => (
          <a key={x.url} href={x.url} target="_blank" rel="noreferrer" className="block truncate text-xs underline">
            {x.url}
          </a>
        ))}
        {failed && (
          <p className="mt-1 text-xs text-danger" role="alert">
            {m.errorCode && <span className="font-mono">{m.errorCode}: </span>}
            {m.errorMessage ?? 'Not delivered'}
          </p>
        )}
        <p className={cn('mt-0.5 flex items-center justify-end gap-1 text-[11px]', out && !failed ? 'opacity-80' : 'text-muted')}>
          {formatWhen(m.createdAt)} <StatusTicks message={m} />
          {!out && <span>{m.status}</span>}
        </p>
      </div>
    </li>
  )
}

function CallEntry({ c }: { c: CallRow }) {
  return (
    <li className="flex justify-center" data-testid="conversation-call">
      <div className="flex max-w-[85%] flex-col items-center gap-1 rounded-lg border border-dashed border-line px-3 py-2 text-xs text-muted">
        <span className="flex items-center gap-1.5">
          <Phone className="size-3.5" /> {c.direction === 'inbound' ? 'Call from' : 'Call to'} <span className="font-mono">{c.direction === 'inbound' ? c.from : c.to}</span>
          <MessageStatusBadge status={c.status} />
        </span>
        {c.inputs.map((i, n) => (
          <span key={n}>
            {i.kind}: {Object.entries(i.fields ?? {}).filter(([k]) => ['Digits', 'SpeechResult', 'RecordingUrl', 'DialCallStatus'].includes(k)).map(([k, v]) => `${k} ${v}`).join(', ') || '—'}
          </span>
        ))}
        <span>{formatWhen(c.createdAt)}</span>
      </div>
    </li>
  )
}
