'use client'
// Pick a node type by its label (an agent's node tool), from GET /api/node-types: actions only, since a trigger or
// another agent cannot be called as a tool.
import { useEffect, useState } from 'react'
import { api } from '@/lib/client/api'
import { EntityPicker, type PickerOption } from './EntityPicker'

export interface NodeTypePickerProps {
  id?: string
  label: string
  value: unknown
  onChange: (type: string | undefined) => void
  invalid?: boolean
  disabled?: boolean
}

export function NodeTypePicker({ id, label, value, onChange, invalid, disabled }: NodeTypePickerProps) {
  const [options, setOptions] = useState<PickerOption[] | null>(null)
  useEffect(() => {
    let stale = false
    api.nodeTypes.list().then(
      (r) => !stale && setOptions(r.nodeTypes.filter((t) => !t.trigger && t.type !== 'agent').map((t) => ({ value: t.type, label: t.label }))),
      () => !stale && setOptions([]),
    )
    return () => {
      stale = true
    }
  }, [])
  return (
    <EntityPicker id={id} label={label} value={typeof value === 'string' && value ? value : undefined} onChange={onChange} options={options}
      emptyLabel="Pick a node type" loadingLabel="Loading node types…" unknownLabel={(v) => `Unknown node type (${v})`} invalid={invalid} disabled={disabled} />
  )
}
