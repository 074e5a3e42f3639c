'use client'
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { Radio } from 'lucide-react'
import { Button, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr, Tabs, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import { DeliveryActions } from './DeliveryActions'
import { DeliveryCounts } from './DeliveryBadge'
import type { DeadLetter, EventSummary } from './types'

type Tab = 'events' | 'dead'
type Page<T> = { rows: T[]; nextCursor: string | null }

async function fetchPage(tab: Tab, cursor?: string): Promise<Page<EventSummary> | Page<DeadLetter>> {
  if (tab === 'events') {
    const r = await api.request<{ events: EventSummary[]; nextCursor: string | null }>('/api/events', { query: { cursor } })
    return { rows: r.events, nextCursor: r.nextCursor }
  }
  const r = await api.request<{ deliveries: DeadLetter[]; nextCursor: string | null }>('/api/events/deliveries', { query: { status: 'dead', cursor } })
  return { rows: r.deliveries, nextCursor: r.nextCursor }
}

/** Recent events (name, time, source run, deliveries by status) and the dead letters with Replay and Discard. */
export function EventsDashboard() {
  const toast = useToast()
  const [tab, setTab] = useState<Tab>('events')
  const [page, setPage] = useState<Page<EventSummary> | Page<DeadLetter> | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)

  const load = useCallback(async () => {
    try {
      setPage(await fetchPage(tab))
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [tab])
  useEffect(() => {
    setPage(null)
    void load()
  }, [load])

  async function loadMore() {
    if (!page?.nextCursor) return
    setLoadingMore(true)
    try {
      const next = await fetchPage(tab, page.nextCursor)
      setPage({ rows: [...page.rows, ...next.rows], nextCursor: next.nextCursor } as Page<EventSummary>)
    } catch (err) {
      toast.error(err, 'Could not load more')
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <>
      <PageHeader
        title="Events"
        description="Events published by workflows and the API, who they were delivered to, and the runs they started."
        actions={<Button onClick={() => void load()}>Refresh</Button>}
      />
      <Tabs label="Events views" tabs={[{ id: 'events', label: 'Recent events' }, { id: 'dead', label: 'Dead letters' }]} value={tab} onChange={setTab} />
      {loadError ? (
        <EmptyState title="Could not load events" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : page === null ? (
        <div className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading…
        </div>
      ) : page.rows.length === 0 ? (
        <EmptyState
          icon={<Radio />}
          title={tab === 'events' ? 'No events yet' : 'No dead letters'}
          description={
            tab === 'events'
              ? 'Add a Publish Event step to a workflow, or POST /api/events. Workflows with an Event trigger on that name receive them.'
              : 'Deliveries whose runs failed every attempt land here, ready to replay or discard.'
          }
        />
      ) : (
        <>
          {tab === 'events' ? <EventTable events={page.rows as EventSummary[]} /> : <DeadLetterTable letters={page.rows as DeadLetter[]} onChange={() => void load()} />}
          {page.nextCursor && (
            <div className="flex justify-center">
              <Button loading={loadingMore} onClick={() => void loadMore()}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </>
  )
}

function EventTable({ events }: { events: EventSummary[] }) {
  const router = useRouter()
  return (
    <Table>
      <THead>
        <tr>
          <Th>Event</Th>
          <Th>Published</Th>
          <Th>Source</Th>
          <Th>Deliveries</Th>
        </tr>
      </THead>
      <TBody>
        {events.map((e) => (
          <Tr key={e.id} data-testid="event-row" onClick={() => router.push(`/events/${e.id}`)}>
            <Td>
              <Link href={`/events/${e.id}`} onClick={(ev) => ev.stopPropagation()} className="font-mono text-xs font-medium hover:text-accent hover:underline">
                {e.name}
              </Link>
            </Td>
            <Td className="text-muted" title={e.publishedAt}>
              {formatRelative(e.publishedAt)}
            </Td>
            <Td className="text-muted">
              {e.sourceExecutionId ? (
                <Link href={`/executions/${e.sourceExecutionId}`} onClick={(ev) => ev.stopPropagation()} className="hover:text-accent hover:underline">
                  run
                </Link>
              ) : (
                'API'
              )}
            </Td>
            <Td>
              <DeliveryCounts counts={e.deliveries} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  )
}

function DeadLetterTable({ letters, onChange }: { letters: DeadLetter[]; onChange: () => void }) {
  const router = useRouter()
  return (
    <Table>
      <THead>
        <tr>
          <Th>Event</Th>
          <Th>Subscriber</Th>
          <Th>Attempts</Th>
          <Th>Last error</Th>
          <Th>Died</Th>
          <Th className="w-48">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {letters.map((d) => (
          <Tr key={d.id} data-testid="dead-letter-row" onClick={() => router.push(`/events/${d.eventId}`)}>
            <Td className="font-mono text-xs">{d.eventName}</Td>
            <Td>
              <Link href={`/workflows/${d.workflowId}`} onClick={(ev) => ev.stopPropagation()} className="hover:text-accent hover:underline">
                {d.workflowName ?? d.workflowId}
              </Link>
            </Td>
            <Td className="tabular-nums text-muted">
              {d.attempts}/{d.maxAttempts}
              {d.replays > 0 && <span className="ml-1 text-xs">({d.replays} replays)</span>}
            </Td>
            <Td className="max-w-72 truncate text-danger" title={d.lastError?.message}>
              {d.lastError?.message ?? ''}
            </Td>
            <Td className="text-muted" title={d.updatedAt}>
              {formatRelative(d.updatedAt)}
            </Td>
            <Td>
              <DeliveryActions id={d.id} status={d.status} onDone={onChange} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  )
}
