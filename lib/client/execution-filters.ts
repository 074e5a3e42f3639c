// Executions dashboard filters: turning them into API query params, and deciding whether a live event belongs in the list.
import type { ExecutionFilters, ExecutionStatus } from './types'

export type TimeRange = '1h' | '24h' | '7d' | '30d' | 'all'

export interface FilterValues {
  workflowId: string
  status: ExecutionStatus | ''
  range: TimeRange
}

export const DEFAULT_FILTERS: FilterValues = { workflowId: '', status: '', range: '24h' }

export const RANGE_MS: Record<Exclude<TimeRange, 'all'>, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 }

export function toQuery(f: FilterValues, now = Date.now(), limit = 50): ExecutionFilters {
  return {
    workflowId: f.workflowId || undefined,
    status: f.status || undefined,
    since: f.range === 'all' ? undefined : new Date(now - RANGE_MS[f.range]).toISOString(),
    limit,
  }
}

/** Whether a live execution belongs in the list under the current filters. */
export function matchesFilters(e: { workflowId: string; status: string; createdAt: string }, f: FilterValues, now = Date.now()): boolean {
  if (f.workflowId && e.workflowId !== f.workflowId) return false
  if (f.status && e.status !== f.status) return false
  if (f.range !== 'all' && Date.parse(e.createdAt) < now - RANGE_MS[f.range]) return false
  return true
}

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const
const RANGES: TimeRange[] = ['1h', '24h', '7d', '30d', 'all']

/** Reads filters from the dashboard URL, ignoring values it does not know. */
export function filtersFromParams(params: { get(name: string): string | null }): FilterValues {
  const status = params.get('status') ?? ''
  const range = params.get('range') ?? ''
  return {
    workflowId: params.get('workflowId') ?? '',
    status: (STATUSES as readonly string[]).includes(status) ? (status as ExecutionStatus) : '',
    range: RANGES.includes(range as TimeRange) ? (range as TimeRange) : DEFAULT_FILTERS.range,
  }
}

/** The URL form of the filters; defaults are left out so the plain dashboard URL stays clean. */
export function filtersToParams(f: FilterValues): URLSearchParams {
  const p = new URLSearchParams()
  if (f.workflowId) p.set('workflowId', f.workflowId)
  if (f.status) p.set('status', f.status)
  if (f.range !== DEFAULT_FILTERS.range) p.set('range', f.range)
  return p
}
