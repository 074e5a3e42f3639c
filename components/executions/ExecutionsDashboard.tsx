'use client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { Activity } from 'lucide-react'
import { Button, EmptyState, Spinner, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import { DEFAULT_FILTERS, filtersFromParams, filtersToParams, matchesFilters, toQuery, type FilterValues } from '@/lib/client/execution-filters'
import { useRealtime, useRealtimeConnected } from '@/lib/client/socket'
import type { ExecutionStats, ExecutionSummary } from '@/lib/client/types'
import type { ExecutionUpdatedEvent } from '@/lib/realtime/events'
import { noteServerTime } from '@/lib/client/server-clock'
import { useSelection } from '@/lib/client/use-selection'
import { ExecutionBulkBar } from './ExecutionBulkBar'
import { ExecutionCounters } from './ExecutionCounters'
import { ExecutionFilters } from './ExecutionFilters'
import { ExecutionTable } from './ExecutionTable'

/** Live list of executions across workflows with filters and 24 h counters. */
export function ExecutionsDashboard() {
  const toast = useToast()
  const connected = useRealtimeConnected()
  // Filters live in the URL (/executions?workflowId=…&status=failed&range=7d), so views can be linked and reloaded.
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const filters = useMemo(() => filtersFromParams(params), [params])
  const setFilters = useCallback(
    (f: FilterValues) => {
      const qs = filtersToParams(f).toString()
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false })
    },
    [router, pathname],
  )
  const [executions, setExecutions] = useState<ExecutionSummary[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [stats, setStats] = useState<ExecutionStats | null>(null)
  const [workflows, setWorkflows] = useState<Array<{ value: string; label: string }>>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const { selected, select, clear, keepOnly } = useSelection()
  const filtersRef = useRef(filters)
  filtersRef.current = filters

  const load = useCallback(async () => {
    try {
      const sentAt = Date.now()
      const [list, s] = await Promise.all([api.executions.list(toQuery(filtersRef.current)), api.executions.stats()])
      noteServerTime(list.serverTime, sentAt)
      setExecutions(list.executions)
      keepOnly(list.executions)
      setNextCursor(list.nextCursor)
      setStats(s)
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [keepOnly])

  useEffect(() => void load(), [load, filters])
  useEffect(() => {
    api.workflows
      .list()
      .then((r) => setWorkflows(r.workflows.map((w) => ({ value: w.id, label: w.name }))))
      .catch(() => setWorkflows([]))
  }, [])

  // Events come in bursts (every step of every run); coalesce refetches of the list and counters.
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const scheduleRefetch = useCallback(() => {
    if (refetchTimer.current) return
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null
      void load()
    }, 400)
  }, [load])
  useEffect(() => () => clearTimeout(refetchTimer.current ?? undefined), [])

  const onExecution = useCallback(
    (ev: ExecutionUpdatedEvent) => {
      setExecutions((list) => {
        if (!list) return list
        const i = list.findIndex((e) => e.id === ev.executionId)
        if (i < 0) {
          // A new run: fetch it with its workflow name, if the filters want it.
          if (matchesFilters({ workflowId: ev.workflowId, status: ev.status, createdAt: ev.createdAt }, filtersRef.current)) scheduleRefetch()
          return list
        }
        const updated = { ...list[i], status: ev.status, startedAt: ev.startedAt, finishedAt: ev.finishedAt, error: ev.error }
        if (!matchesFilters(updated, filtersRef.current)) return list.filter((_, j) => j !== i)
        return list.map((e, j) => (j === i ? updated : e))
      })
      api.executions.stats().then(setStats, () => undefined)
    },
    [scheduleRefetch],
  )
  useRealtime('tenant', { 'execution.updated': onExecution, onResync: () => void load() })

  async function loadMore() {
    if (!nextCursor) return
    setLoadingMore(true)
    try {
      const res = await api.executions.list({ ...toQuery(filters), cursor: nextCursor })
      setExecutions((list) => [...(list ?? []), ...res.executions.filter((e) => !list?.some((x) => x.id === e.id))])
      setNextCursor(res.nextCursor)
    } catch (err) {
      toast.error(err, 'Could not load more executions')
    } finally {
      setLoadingMore(false)
    }
  }

  const filtered = filters.workflowId || filters.status || filters.range !== DEFAULT_FILTERS.range
  const live = useMemo(
    () => (
      <span className="flex items-center gap-1.5 text-xs text-muted" data-testid="live-indicator" data-connected={connected}>
        <span className={connected ? 'size-2 animate-pulse rounded-full bg-ok' : 'size-2 rounded-full bg-muted'} />
        {connected ? 'Live' : 'Reconnecting…'}
      </span>
    ),
    [connected],
  )

  return (
    <>
      <PageHeader title="Executions" description="Every run across your workflows, updating as it happens." actions={live} />
      <ExecutionCounters stats={stats} />
      <ExecutionFilters value={filters} onChange={setFilters} workflows={workflows} />
      {loadError ? (
        <EmptyState title="Could not load executions" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : executions === null ? (
        <div className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading executions…
        </div>
      ) : executions.length === 0 ? (
        <EmptyState
          icon={<Activity />}
          title={filtered ? 'No executions match these filters' : 'No executions yet'}
          description={
            filtered
              ? 'Widen the time range or clear the workflow and status filters.'
              : 'Open a workflow and press Run, or start one through the API. Runs show up here live.'
          }
          action={
            filtered ? (
              <Button onClick={() => setFilters(DEFAULT_FILTERS)}>Clear filters</Button>
            ) : (
              <Link href="/workflows" className="text-sm font-medium text-accent hover:underline">
                Go to workflows
              </Link>
            )
          }
        />
      ) : (
        <>
          <ExecutionBulkBar selected={executions.filter((e) => selected.has(e.id))} onDone={() => void load()} onClear={clear} />
          <ExecutionTable executions={executions} selected={selected} onSelect={select} />
          {nextCursor && (
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
