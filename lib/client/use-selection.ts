'use client'
import { useCallback, useState } from 'react'

/** The checked rows of a list: ids, changed several at once (a "select all" box), pruned to what is still shown. */
export function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const select = useCallback((ids: string[], checked: boolean) => {
    setSelected((sel) => {
      const next = new Set(sel)
      for (const id of ids) {
        if (checked) next.add(id)
        else next.delete(id)
      }
      return next
    })
  }, [])
  const clear = useCallback(() => setSelected(new Set()), [])
  /** After a reload: forget rows no longer listed. */
  const keepOnly = useCallback((shown: Array<{ id: string }>) => setSelected((sel) => new Set([...sel].filter((id) => shown.some((r) => r.id === id)))), [])
  return { selected, select, clear, keepOnly }
}
