'use client'
// The one list picker under the entity pickers (workflows, credentials, AI models): a native <select> showing names,
// with a search box above it once the list is long. A saved value missing from the list (deleted, or from another
// workspace) stays selected and says so, never silently dropped.
import { useState } from 'react'
import { Input, Select } from '@/components/ui'
import { cn } from '@/components/ui/cn'

export interface PickerOption {
  value: string
  label: string
}

/** From this many options on, a search box narrows the list. */
export const SEARCH_FROM = 8

export interface EntityPickerProps {
  id?: string
  /** The accessible name of the select ("Credential", "Workflow"). */
  label: string
  value: string | undefined
  onChange: (value: string | undefined) => void
  /** null while loading. */
  options: PickerOption[] | null
  /** The first, empty choice ("None", "Pick a workflow"); absent for a required pick with a value. */
  emptyLabel: string
  loadingLabel?: string
  /** How a saved value that is not in the list reads. */
  unknownLabel?: (value: string) => string
  invalid?: boolean
  disabled?: boolean
  className?: string
}

/** Options whose label contains every word of the query (case-insensitive); the selected one always stays. */
export function filterOptions(options: PickerOption[], query: string, keep?: string): PickerOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return options
  return options.filter((o) => o.value === keep || words.every((w) => o.label.toLowerCase().includes(w)))
}

export function EntityPicker({
  id, label, value, onChange, options, emptyLabel, loadingLabel = 'Loading…', unknownLabel = (v) => `Unknown (${v})`, invalid, disabled, className,
}: EntityPickerProps) {
  const [query, setQuery] = useState('')
  const current = value ?? ''
  const known = !current || options === null || options.some((o) => o.value === current)
  const searchable = (options?.length ?? 0) >= SEARCH_FROM
  const shown = filterOptions(options ?? [], searchable ? query : '', current)
  const choices = [
    { value: '', label: options === null ? loadingLabel : emptyLabel },
    ...(known ? [] : [{ value: current, label: unknownLabel(current) }]),
    ...shown,
  ]
  const pickFirstMatch = () => {
    const first = shown.find((o) => o.value !== current) ?? shown[0]
    if (first) onChange(first.value)
  }
  return (
    <div className={cn('flex min-w-0 flex-1 flex-col gap-1', className)}>
      {searchable && (
        <Input
          type="search"
          aria-label={`Search: ${label}`}
          placeholder={`Search ${options!.length} …`}
          className="h-8"
          value={query}
          disabled={disabled}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              pickFirstMatch()
            }
          }}
        />
      )}
      <Select id={id} aria-label={label} className="h-8" invalid={invalid || !known} disabled={disabled} value={current} options={choices}
        onChange={(e) => onChange(e.target.value || undefined)} />
    </div>
  )
}
