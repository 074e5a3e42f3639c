'use client'
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { ArrowLeft } from 'lucide-react'
import { Button, EmptyState, JsonView, Spinner, StatusBadge, Table, TBody, Td, Th, THead, Tr, type RunStatus } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import { DeliveryActions } from './DeliveryActions'
import { DeliveryBadge } from './DeliveryBadge'
import type { EventDetail as EventDetailData } from './types'

/** One event: published → delivered to whom → which runs. */
export function EventDetail({ eventId }: { eventId: string }) {
  const [event, setEvent] = useState<EventDetailData | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      setEvent(await api.request<EventDetailData>(`/api/events/${encodeURIComponent(eventId)}`))
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [eventId])
  useEffect(() => void load(), [load])

  if (loadError) return <EmptyState title="Could not load the event" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
  if (!event) {
    return (
      <div className="flex items-center gap-2 text-sm text-muted">
        <Spinner /> Loading event…
      </div>
    )
  }
  return (
    <>
      <Link href="/events" className="flex items-center gap-1 text-sm text-muted hover:text-fg">
        <ArrowLeft className="size-4" /> Events
      </Link>
      <PageHeader
        title={<span className="font-mono">{event.name}</span>}
        description={
          <>
            Published {formatRelative(event.publishedAt)} ({event.publishedAt}) by{' '}
            {event.sourceExecutionId ? (
              <Link href={`/executions/${event.sourceExecutionId}`} className="text-accent hover:underline">
                a run of {event.sourceWorkflowName ?? 'a workflow'}
              </Link>
            ) : (
              'the API'
            )}
          </>
        }
        actions={<Button onClick={() => void load()}>Refresh</Button>}
      />
      <section className="flex flex-col gap-2">
        <h2 className="text-sm font-semibold">Deliveries</h2>
        {event.deliveries.length === 0 ? (
          <p className="text-sm text-muted">No active Event trigger matched this event when it was published.</p>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Subscriber</Th>
                <Th>Status</Th>
                <Th>Attempts</Th>
                <Th>Runs</Th>
                <Th>Last error</Th>
                <Th className="w-48">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {event.deliveries.map((d) => (
                <Tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                  <Td>
                    <Link href={`/workflows/${d.workflowId}`} className="font-medium hover:text-accent hover:underline">
                      {d.workflowName ?? d.workflowId}
                    </Link>
                  </Td>
                  <Td>
                    <DeliveryBadge status={d.status} />
                  </Td>
                  <Td className="tabular-nums text-muted">
                    {d.attempts}/{d.maxAttempts}
                    {d.replays > 0 && <span className="ml-1 text-xs">({d.replays} replays)</span>}
                  </Td>
                  <Td>
                    <span className="flex flex-wrap gap-1.5">
                      {d.runs.map((r) => (
                        <Link key={r.id} href={`/executions/${r.id}`} title={r.id} className="hover:opacity-80">
                          <StatusBadge status={r.status as RunStatus} />
                        </Link>
                      ))}
                    </span>
                  </Td>
                  <Td className="max-w-72 truncate text-danger" title={d.lastError?.message}>
                    {d.lastError?.message ?? ''}
                  </Td>
                  <Td>
                    <DeliveryActions id={d.id} status={d.status} onDone={() => void load()} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="text-sm font-semibold">Payload</h2>
        <div className="rounded-md border border-line bg-panel p-3">
          <JsonView value={event.payload} />
        </div>
      </section>
    </>
  )
}
