'use client'

/** The header checkbox of a list with row checkboxes: checked when every row is, mixed when some are. */
export function SelectAllBox({ ids, selected, onSelect, label }: { ids: string[]; selected: ReadonlySet<string>; onSelect: (ids: string[], checked: boolean) => void; label: string }) {
  const all = ids.length > 0 && ids.every((id) => selected.has(id))
  const some = !all && ids.some((id) => selected.has(id))
  return (
    <input
      type="checkbox"
      aria-label={label}
      className="size-4 align-middle accent-accent"
      checked={all}
      ref={(el) => {
        if (el) el.indeterminate = some
      }}
      disabled={ids.length === 0}
      onChange={(e) => onSelect(ids, e.target.checked)}
    />
  )
}
