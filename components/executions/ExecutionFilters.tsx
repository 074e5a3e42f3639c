'use client'
import { Select, type SelectOption } from '@/components/ui'
import type { FilterValues, TimeRange } from '@/lib/client/execution-filters'

const STATUS_OPTIONS: SelectOption[] = ['running', 'queued', 'succeeded', 'failed', 'canceled'].map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))
const RANGE_OPTIONS: SelectOption[] = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'all', label: 'Any time' },
]

export function ExecutionFilters({ value, onChange, workflows }: { value: FilterValues; onChange: (v: FilterValues) => void; workflows: SelectOption[] }) {
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Filters">
      <Select aria-label="Workflow" className="w-56" placeholder="All workflows" options={workflows} value={value.workflowId} onChange={(e) => onChange({ ...value, workflowId: e.target.value })} />
      <Select aria-label="Status" className="w-40" placeholder="Any status" options={STATUS_OPTIONS} value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value as FilterValues['status'] })} />
      <Select aria-label="Time range" className="w-40" options={RANGE_OPTIONS} value={value.range} onChange={(e) => onChange({ ...value, range: e.target.value as TimeRange })} />
    </div>
  )
}
