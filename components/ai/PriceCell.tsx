'use client'
// One editable price in the price table: click, type USD per 1M tokens, Enter saves.
import { useState } from 'react'
import { Input, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'

export function PriceCell({ modelId, field, value, onSaved }: { modelId: string; field: 'inputPricePerM' | 'outputPricePerM'; value: number; onSaved: () => void }) {
  const toast = useToast()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(String(value))

  async function save() {
    setEditing(false)
    const n = Number(draft)
    if (!Number.isFinite(n) || n < 0 || n === value) return setDraft(String(value))
    try {
      await api.request(`/api/ai/models/${encodeURIComponent(modelId)}`, { method: 'PUT', body: { [field]: n } })
      onSaved()
    } catch (err) {
      toast.error(err, 'Price not saved')
      setDraft(String(value))
    }
  }

  if (!editing)
    return (
      <button type="button" className="tabular-nums hover:underline" title="Edit price" onClick={() => setEditing(true)}>
        {value.toFixed(2)}
      </button>
    )
  return (
    <Input
      aria-label={field === 'inputPricePerM' ? 'Input price per 1M tokens' : 'Output price per 1M tokens'}
      autoFocus
      className="h-7 w-20 text-right"
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => e.key === 'Enter' && save()}
    />
  )
}
