'use client'
// Ordered name/value rows (headers, query, fields). Values accept expressions.
import { Plus, Trash2 } from 'lucide-react'
import { useFormEnv } from './context'

type Row = { name: string; value: unknown }

export function KeyValueEditor({ value, onChange, label }: { value: unknown; onChange: (v: Row[]) => void; label: string }) {
  const env = useFormEnv()
  const rows: Row[] = Array.isArray(value) ? (value as Row[]) : value && typeof value === 'object' ? Object.entries(value).map(([name, v]) => ({ name, value: v })) : []
  const set = (i: number, patch: Partial<Row>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const cell = 'h-8 min-w-0 flex-1 rounded-md border border-line bg-panel px-2 text-xs outline-none'
  return (
    <div className="flex flex-col gap-1" role="group" aria-label={label}>
      {rows.map((r, i) => (
        <div key={i} className="flex items-center gap-1">
          <input aria-label={`${label} name ${i + 1}`} className={cell} placeholder="Name" value={r.name} readOnly={env.readOnly} onChange={(e) => set(i, { name: e.target.value })} onBlur={env.onCommit} />
          <input
            aria-label={`${label} value ${i + 1}`}
            className={`${cell} font-mono`}
            placeholder="Value or {{ expression }}"
            value={typeof r.value === 'string' ? r.value : JSON.stringify(r.value ?? '')}
            readOnly={env.readOnly}
            onChange={(e) => set(i, { value: e.target.value })}
            onBlur={env.onCommit}
          />
          {!env.readOnly && (
            <button type="button" aria-label={`Remove row ${i + 1}`} className="rounded p-1 text-muted hover:bg-panel-2 hover:text-danger" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              <Trash2 className="size-3.5" />
            </button>
          )}
        </div>
      ))}
      {!env.readOnly && (
        <button type="button" className="flex w-fit items-center gap-1 rounded px-1.5 py-1 text-xs text-accent hover:bg-accent-soft" onClick={() => onChange([...rows, { name: '', value: '' }])}>
          <Plus className="size-3.5" /> Add {label.toLowerCase().replace(/s$/, '')}
        </button>
      )}
    </div>
  )
}
