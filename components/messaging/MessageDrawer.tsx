'use client'
// One message in a side drawer: who, what, the provider's id and error, and every status it went through.
import { useEffect, useState } from 'react'
import Link from 'next/link'
import { X } from 'lucide-react'
import { JsonView, Spinner } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { messagingApi, type MessageDetail } from './data'
import { ChannelIcon, formatWhen, MessageStatusBadge } from './MessageStatus'

export function MessageDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const [message, setMessage] = useState<MessageDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!id) return
    let live = true
    setMessage(null)
    setError(null)
    messagingApi.message(id).then((m) => live && setMessage(m)).catch((err) => live && setError(errorMessage(err)))
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => {
      live = false
      window.removeEventListener('keydown', onKey)
    }
  }, [id, onClose])
  if (!id) return null
  return (
    <aside role="dialog" aria-label="Message" className="fixed inset-y-0 right-0 z-40 flex w-[min(28rem,100vw)] flex-col gap-4 overflow-y-auto border-l border-line bg-panel p-5 shadow-xl">
      <div className="flex items-start justify-between gap-2">
        <h2 className="text-base font-semibold">Message</h2>
        <button type="button" aria-label="Close" onClick={onClose} className="rounded p-1 text-muted hover:bg-panel-2">
          <X className="size-4" />
        </button>
      </div>
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      {!message && !error && <Spinner />}
      {message && (
        <>
          <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1.5 text-sm">
            <dt className="text-muted">Status</dt>
            <dd><MessageStatusBadge status={message.status} errorCode={message.errorCode} /></dd>
            <dt className="text-muted">Channel</dt>
            <dd className="flex items-center gap-1.5"><ChannelIcon channel={message.channel} /> {message.channel} · {message.direction}</dd>
            <dt className="text-muted">From</dt>
            <dd className="font-mono text-xs">{message.from}</dd>
            <dt className="text-muted">To</dt>
            <dd className="font-mono text-xs">{message.to}</dd>
            <dt className="text-muted">Provider id</dt>
            <dd className="break-all font-mono text-xs">{message.providerId ?? '—'}</dd>
            {message.executionId && (
              <>
                <dt className="text-muted">Run</dt>
                <dd><Link className="text-accent hover:underline" href={`/executions/${message.executionId}`}>{message.executionId}</Link></dd>
              </>
            )}
          </dl>
          {message.errorMessage && (
            <div role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
              {message.errorCode && <span className="font-mono">{message.errorCode}: </span>}
              {message.errorMessage}
            </div>
          )}
          <section>
            <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Body</h3>
            <p className="whitespace-pre-wrap rounded-md bg-panel-2 p-3 text-sm">{message.body ?? '(no text)'}</p>
          </section>
          {message.content != null && (
            <section>
              <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Content</h3>
              <JsonView value={message.content} />
            </section>
          )}
          <section>
            <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Status history</h3>
            <ol className="flex flex-col gap-1.5" data-testid="status-history">
              {message.statusHistory.map((h, i) => (
                <li key={i} className="flex items-center justify-between gap-2 text-sm">
                  <MessageStatusBadge status={h.status} errorCode={h.errorCode} />
                  <span className="text-xs text-muted">{formatWhen(h.at)}</span>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </aside>
  )
}
