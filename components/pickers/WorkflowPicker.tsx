'use client'
// Pick a workflow of this workspace by name (Execute Workflow's child, an agent's workflow tool, a workflow's error
// workflow, an AI budget's workflow), with a link that opens it.
import { useEffect, useState } from 'react'
import Link from 'next/link'
import { ExternalLink } from 'lucide-react'
import { api } from '@/lib/client/api'
import { EntityPicker, type PickerOption } from './EntityPicker'

export interface WorkflowPickerProps {
  id?: string
  label: string
  value: unknown
  onChange: (id: string | undefined) => void
  invalid?: boolean
  disabled?: boolean
  emptyLabel?: string
  className?: string
}

/** The workspace's workflows as picker options (id → name); null while loading. Also names ids in lists. */
export function useWorkflowOptions(): PickerOption[] | null {
  const [options, setOptions] = useState<PickerOption[] | null>(null)
  useEffect(() => {
    let stale = false
    api.workflows.list().then(
      (r) => !stale && setOptions(r.workflows.map((w) => ({ value: w.id, label: w.name }))),
      () => !stale && setOptions([]),
    )
    return () => {
      stale = true
    }
  }, [])
  return options
}

export function WorkflowPicker({ id, label, value, onChange, invalid, disabled, emptyLabel = 'Pick a workflow', className }: WorkflowPickerProps) {
  const options = useWorkflowOptions()
  const current = typeof value === 'string' ? value : undefined
  const known = !!current && !!options?.some((o) => o.value === current)
  return (
    <div className={`flex items-end gap-1 ${className ?? ''}`}>
      <EntityPicker id={id} label={label} value={current} onChange={onChange} options={options} emptyLabel={emptyLabel} loadingLabel="Loading workflows…"
        unknownLabel={(v) => `Unknown workflow (${v})`} invalid={invalid} disabled={disabled} />
      {known && (
        <Link href={`/workflows/${current}`} target="_blank" className="rounded p-1.5 text-muted hover:text-accent" aria-label="Open the workflow" title="Open the workflow">
          <ExternalLink className="size-3.5" />
        </Link>
      )}
    </div>
  )
}
