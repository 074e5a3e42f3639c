'use client'
// The workspace's message log: filters (kept in the URL), newest first, "Load more" by cursor, and a drawer with the
// selected message's body, error and status history.
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { ArrowDownLeft, ArrowUpRight } from 'lucide-react'
import { Button, EmptyState, Input, Select, Spinner, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { messagingApi, type MessageRow } from './data'
import { MessageDrawer } from './MessageDrawer'
import { ChannelIcon, formatWhen, MESSAGE_STATUSES, MessageStatusBadge } from './MessageStatus'

const FILTERS = ['channel', 'direction', 'status', 'number', 'executionId', 'campaignId', 'since', 'until'] as const
const options = (values: string[]) => values.map((v) => ({ value: v, label: v }))

export function MessageLog() {
  const params = useSearchParams()
  const router = useRouter()
  const pathname = usePathname()
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>
  const key = FILTERS.map((f) => filters[f]).join('|')
  const [rows, setRows] = useState<MessageRow[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [open, setOpen] = useState<string | null>(null)
  const [number, setNumber] = useState(filters.number)

  const query = useCallback(
    (after?: string | null) => ({
      ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)),
      since: filters.since ? new Date(filters.since).toISOString() : undefined,
      until: filters.until ? new Date(filters.until).toISOString() : undefined,
      cursor: after ?? undefined,
      limit: 50,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  )
  useEffect(() => {
    let live = true
    setRows(null)
    messagingApi
      .messages(query())
      .then((r) => live && (setRows(r.messages), setCursor(r.nextCursor), setError(null)))
      .catch((err) => live && setError(errorMessage(err)))
    return () => {
      live = false
    }
  }, [query])

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(name, value)
    else next.delete(name)
    router.replace(`${pathname}?${next}`)
  }
  const more = async () => {
    setLoadingMore(true)
    try {
      const r = await messagingApi.messages(query(cursor))
      setRows((prev) => [...(prev ?? []), ...r.messages])
      setCursor(r.nextCursor)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <form
        aria-label="Filters"
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault()
          setFilter('number', number.trim())
        }}
      >
        <Select aria-label="Channel" className="w-32" value={filters.channel} onChange={(e) => setFilter('channel', e.target.value)} placeholder="Channel" options={options(['sms', 'mms', 'whatsapp', 'voice'])} />
        <Select aria-label="Direction" className="w-36" value={filters.direction} onChange={(e) => setFilter('direction', e.target.value)} placeholder="Direction" options={options(['outbound', 'inbound'])} />
        <Select aria-label="Status" className="w-32" value={filters.status} onChange={(e) => setFilter('status', e.target.value)} placeholder="Status" options={options(MESSAGE_STATUSES)} />
        <Input aria-label="Number contains" className="w-40" placeholder="Number contains…" value={number} onChange={(e) => setNumber(e.target.value)} onBlur={() => setFilter('number', number.trim())} />
        <label className="flex items-center gap-1.5 text-xs text-muted">
          From
          <Input aria-label="From date" className="w-48" type="datetime-local" value={filters.since} onChange={(e) => setFilter('since', e.target.value)} />
        </label>
        <label className="flex items-center gap-1.5 text-xs text-muted">
          Until
          <Input aria-label="Until date" className="w-48" type="datetime-local" value={filters.until} onChange={(e) => setFilter('until', e.target.value)} />
        </label>
        <Button type="button" variant="ghost" onClick={() => (setNumber(''), router.replace(pathname))}>
          Clear filters
        </Button>
      </form>
      {(filters.executionId || filters.campaignId) && (
        <p className="text-xs text-muted">
          {filters.executionId && <>Run <span className="font-mono">{filters.executionId}</span> </>}
          {filters.campaignId && <>Campaign <span className="font-mono">{filters.campaignId}</span></>}
        </p>
      )}
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      {!rows && !error && (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading messages…
        </p>
      )}
      {rows && rows.length === 0 && <EmptyState title="No messages" description="Messages your workflows and campaigns send or receive appear here." />}
      {rows && rows.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>When</Th>
              <Th>Channel</Th>
              <Th>From → To</Th>
              <Th>Message</Th>
              <Th>Status</Th>
              <Th>Source</Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((m) => (
              <Tr key={m.id} onClick={() => setOpen(m.id)} data-testid="message-row" data-status={m.status}>
                <Td className="whitespace-nowrap text-xs text-muted">{formatWhen(m.createdAt)}</Td>
                <Td>
                  <span className="flex items-center gap-1.5 text-xs">
                    {m.direction === 'inbound' ? <ArrowDownLeft className="size-3.5 text-accent" aria-label="inbound" /> : <ArrowUpRight className="size-3.5 text-muted" aria-label="outbound" />}
                    <ChannelIcon channel={m.channel} /> {m.channel}
                  </span>
                </Td>
                <Td className="whitespace-nowrap font-mono text-xs">
                  {m.from} → {m.to}
                </Td>
                <Td className="max-w-xs">
                  <p className="truncate">{m.body ?? <span className="text-muted">(no text)</span>}</p>
                  {m.errorMessage && <p className="truncate text-xs text-danger">{m.errorMessage}</p>}
                </Td>
                <Td>
                  <MessageStatusBadge status={m.status} errorCode={m.errorCode} />
                </Td>
                <Td className="text-xs" onClick={(e) => e.stopPropagation()}>
                  {m.executionId ? (
                    <Link className="text-accent hover:underline" href={`/executions/${m.executionId}`}>
                      Run
                    </Link>
                  ) : m.campaignId ? (
                    <Link className="text-accent hover:underline" href={`/messages?campaignId=${m.campaignId}`}>
                      Campaign
                    </Link>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {cursor && (
        <Button className="self-center" onClick={() => void more()} loading={loadingMore}>
          Load more
        </Button>
      )}
      <MessageDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  )
}
