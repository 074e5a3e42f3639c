'use client'
// Pick a workflow of this workspace (Execute Workflow's child, a workflow's error workflow) from the API's list.
// A saved id that is not in the list (deleted, or from another workspace) stays shown as such, never silently dropped.
import { useEffect, useState } from 'react'
import Link from 'next/link'
import { ExternalLink } from 'lucide-react'
import { Select } from '@/components/ui'
import { api } from '@/lib/client/api'
import type { WorkflowSummary } from '@/lib/client/types'
import { useFormEnv } from './context'

export function WorkflowPicker({
  id, label, value, onChange, invalid, disabled, emptyLabel = 'Pick a workflow',
}: { id?: string; label: string; value: unknown; onChange: (id: string | undefined) => void; invalid?: boolean; disabled?: boolean; emptyLabel?: string }) {
  const env = useFormEnv()
  const [list, setList] = useState<WorkflowSummary[] | null>(null)
  useEffect(() => {
    let stale = false
    api.workflows.list().then((r) => !stale && setList(r.workflows), () => !stale && setList([]))
    return () => {
      stale = true
    }
  }, [])
  const current = typeof value === 'string' ? value : ''
  const known = !current || !list || list.some((w) => w.id === current)
  const options = [
    { value: '', label: list === null ? 'Loading workflows…' : emptyLabel },
    ...(known ? [] : [{ value: current, label: `Unknown workflow (${current})` }]),
    ...(list ?? []).map((w) => ({ value: w.id, label: w.name })),
  ]
  return (
    <div className="flex items-center gap-1">
      <Select id={id} aria-label={label} className="h-8 flex-1" invalid={invalid || !known} disabled={env.readOnly || disabled} value={current} options={options}
        onChange={(e) => onChange(e.target.value || undefined)} />
      {current && known && (
        <Link href={`/workflows/${current}`} target="_blank" className="rounded p-1 text-muted hover:text-accent" aria-label="Open the workflow" title="Open the workflow">
          <ExternalLink className="size-3.5" />
        </Link>
      )}
    </div>
  )
}
