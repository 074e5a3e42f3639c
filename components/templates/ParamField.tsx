'use client'
// One template parameter as a form control, chosen by its type: string → input, text → textarea, number → number
// input, boolean → checkbox, select → select, json → textarea (checked as JSON). Label, required marker, description.
import { Field, Input, Select, Textarea } from '@/components/ui'
import type { TemplateParameter } from '@/lib/templates/types'
import type { FormValue } from './form-values'

export function ParamField({ param: p, value, error, onChange }: { param: TemplateParameter; value: FormValue; error?: string; onChange: (v: FormValue) => void }) {
  const label = (
    <>
      {p.label ?? p.name}
      {p.required && <span className="text-danger" aria-hidden> *</span>}
      {p.required && <span className="sr-only"> (required)</span>}
    </>
  )
  const hint = p.description || undefined
  if (p.type === 'boolean') {
    return (
      <div className="flex flex-col gap-1">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} className="size-4 accent-[var(--accent)]" aria-invalid={!!error || undefined} />
          {label}
        </label>
        {error ? <p role="alert" className="text-xs text-danger">{error}</p> : hint && <p className="text-xs text-muted">{hint}</p>}
      </div>
    )
  }
  const text = typeof value === 'string' ? value : String(value)
  return (
    <Field label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => {
        const common = { id, 'aria-describedby': describedBy, invalid, required: p.required }
        switch (p.type) {
          case 'text':
            return <Textarea {...common} rows={4} className="font-sans" value={text} onChange={(e) => onChange(e.target.value)} />
          case 'json':
            return <Textarea {...common} rows={5} spellCheck={false} value={text} placeholder='{ "key": "value" }' onChange={(e) => onChange(e.target.value)} />
          case 'select':
            return (
              <Select
                {...common}
                placeholder={p.required ? 'Choose…' : '(default)'}
                options={(p.options ?? []).map((o) => ({ value: String(o.value), label: o.label ?? String(o.value) }))}
                value={text}
                onChange={(e) => onChange(e.target.value)}
              />
            )
          case 'number':
            return <Input {...common} type="number" inputMode="decimal" step="any" value={text} onChange={(e) => onChange(e.target.value)} />
          default:
            return <Input {...common} value={text} onChange={(e) => onChange(e.target.value)} />
        }
      }}
    </Field>
  )
}
