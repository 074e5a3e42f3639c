'use client'
// Pick an AI deployment or route of the model registry by name (what LLM, agent and retrieval nodes and fine-tuning
// name), limited to chat or embedding models; the options are the collections pages' (components/collections/models).
import { useEffect, useState } from 'react'
import { deploymentOptions, loadRegistry } from '@/components/collections/models'
import { EntityPicker, type PickerOption } from './EntityPicker'

export interface ModelPickerProps {
  id?: string
  label: string
  value: unknown
  onChange: (name: string | undefined) => void
  kind?: 'chat' | 'embedding'
  /** Only deployments of this provider's models (fine-tuning: openai). */
  provider?: string
  /** Offer routes too (default). */
  routes?: boolean
  invalid?: boolean
  disabled?: boolean
  emptyLabel?: string
  className?: string
}

export function ModelPicker({ id, label, value, onChange, kind = 'chat', provider, routes, invalid, disabled, emptyLabel = 'Pick a model', className }: ModelPickerProps) {
  const [options, setOptions] = useState<PickerOption[] | null>(null)
  useEffect(() => {
    let stale = false
    loadRegistry().then((r) => !stale && setOptions(deploymentOptions(r, kind, { provider, routes })), () => !stale && setOptions([]))
    return () => {
      stale = true
    }
  }, [kind, provider, routes])
  const none = options?.length === 0 ? `No ${kind} deployment yet (AI → Models)` : emptyLabel
  return (
    <EntityPicker id={id} label={label} value={typeof value === 'string' && value ? value : undefined} onChange={onChange} options={options}
      emptyLabel={none} loadingLabel="Loading models…" unknownLabel={(v) => `${v} (not in the registry)`} invalid={invalid} disabled={disabled} className={className} />
  )
}
