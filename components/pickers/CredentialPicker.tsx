'use client'
// Pick a stored credential of the accepted kinds by name (AI deployments, node credentials); `reloadKey` reloads
// the list after one was created elsewhere.
import { useEffect, useState } from 'react'
import { kindLabel } from '@/app/(studio)/settings/credentials/kind-fields'
import { api } from '@/lib/client/api'
import { EntityPicker, type PickerOption } from './EntityPicker'

export interface CredentialPickerProps {
  id?: string
  label: string
  value: unknown
  onChange: (id: string | undefined) => void
  /** Accepted kinds; empty: any. */
  kinds: readonly string[]
  invalid?: boolean
  disabled?: boolean
  emptyLabel?: string
  reloadKey?: unknown
  className?: string
}

export function CredentialPicker({ id, label, value, onChange, kinds, invalid, disabled, emptyLabel, reloadKey, className }: CredentialPickerProps) {
  const [all, setAll] = useState<{ id: string; name: string; kind: string }[] | null>(null)
  useEffect(() => {
    let stale = false
    api.credentials.list().then((r) => !stale && setAll(r.credentials), () => !stale && setAll([]))
    return () => {
      stale = true
    }
  }, [reloadKey])
  const options: PickerOption[] | null = all && all.filter((c) => kinds.length === 0 || kinds.includes(c.kind)).map((c) => ({ value: c.id, label: `${c.name} (${kindLabel(c.kind)})` }))
  const kindsText = kinds.map(kindLabel).join(' or ')
  const empty = options?.length === 0 ? `No ${kindsText ? `${kindsText} ` : ''}credential yet` : (emptyLabel ?? 'None')
  return (
    <EntityPicker id={id} label={label} value={typeof value === 'string' ? value : undefined} onChange={onChange} options={options}
      emptyLabel={empty} loadingLabel="Loading credentials…" unknownLabel={(v) => `Unknown credential (${v})`}
      invalid={invalid} disabled={disabled} className={className} />
  )
}
