'use client'
// A collection's name: typed freely (Ingest Documents creates a collection on its first upload) with the
// workspace's collections offered as suggestions, so an existing one is picked by name, never retyped from memory.
import { useEffect, useId, useState } from 'react'
import { collectionsApi } from '@/lib/client/collections'

export interface CollectionInputProps {
  id?: string
  label: string
  value: unknown
  onChange: (name: string) => void
  onBlur?: () => void
  invalid?: boolean
  readOnly?: boolean
  className?: string
}

export function CollectionInput({ id, label, value, onChange, onBlur, invalid, readOnly, className }: CollectionInputProps) {
  const listId = useId()
  const [names, setNames] = useState<string[]>([])
  useEffect(() => {
    let stale = false
    collectionsApi.list().then((r) => !stale && setNames(r.collections.map((c) => c.name)), () => undefined)
    return () => {
      stale = true
    }
  }, [])
  return (
    <>
      <input id={id} aria-label={label} aria-invalid={invalid || undefined} list={listId} readOnly={readOnly} placeholder={names.length ? `One of ${names.length} collections, or a new name` : 'Collection name'}
        className={className} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} />
      <datalist id={listId}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </>
  )
}
