'use client'
// The generated parameter form of one node.
import { isVisible, type FieldDescriptor } from '../schema'
import { FieldControl } from './FieldControl'

export function ParamsForm({ fields, values, onChange }: {
  fields: FieldDescriptor[]
  values: Record<string, unknown>
  onChange: (key: string, value: unknown) => void
}) {
  if (fields.length === 0) return <p className="text-sm text-muted">This node has no parameters.</p>
  return (
    <div className="flex flex-col gap-4" data-testid="params-form">
      {fields.filter((f) => isVisible(f, values)).map((f) => (
        <FieldControl key={f.key} field={f} value={values[f.key]} onChange={(v) => onChange(f.key, v)} />
      ))}
    </div>
  )
}
