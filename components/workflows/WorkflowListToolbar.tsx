'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { FolderPlus, Search, X } from 'lucide-react'
import { Button, Input, Select } from '@/components/ui'
import type { WorkflowListView, WorkflowSort } from '@/lib/client/workflow-list-params'

const SORT_OPTIONS: Array<{ value: WorkflowSort; label: string }> = [
  { value: 'updated', label: 'Last updated' },
  { value: 'created', label: 'Newest first' },
  { value: 'name', label: 'Name A–Z' },
]

/** Typing waits this long before the list (and the URL) follow. */
const SEARCH_DEBOUNCE_MS = 250

/** Search by name (debounced), filter by tag, sort, and make a folder. */
export function WorkflowListToolbar({
  view,
  tags,
  onChange,
  onNewFolder,
}: {
  view: WorkflowListView
  tags: Array<{ tag: string; count: number }>
  onChange: (v: WorkflowListView) => void
  onNewFolder?: () => void
}) {
  const [q, setQ] = useState(view.q)
  const viewRef = useRef(view)
  viewRef.current = view
  /** What the box last put in the URL: the URL catching up with it must not undo what was typed since. */
  const pushed = useRef(view.q)
  // The URL changed under the box (back button, a link, "Clear"): show what it says.
  useEffect(() => {
    if (view.q !== pushed.current) {
      pushed.current = view.q
      setQ(view.q)
    }
  }, [view.q])
  const push = useCallback(
    (value: string) => {
      pushed.current = value.trim()
      onChange({ ...viewRef.current, q: value })
    },
    [onChange],
  )
  useEffect(() => {
    if (q.trim() === viewRef.current.q.trim()) return
    const t = setTimeout(() => push(q), SEARCH_DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [q, push])

  const tagOptions = tags.map((t) => ({ value: t.tag, label: `${t.tag} (${t.count})` }))
  if (view.tag && !tags.some((t) => t.tag === view.tag)) tagOptions.unshift({ value: view.tag, label: view.tag })

  return (
    <div className="flex flex-wrap items-center gap-2" role="search">
      <div className="relative w-72">
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted" />
        <Input
          type="search"
          aria-label="Search workflows by name"
          placeholder="Search by name…"
          className="w-72 pl-8"
          value={q}
          maxLength={200}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') push(q)
          }}
        />
      </div>
      <Select aria-label="Filter by tag" className="w-48" placeholder="All tags" options={tagOptions} value={view.tag} onChange={(e) => onChange({ ...view, tag: e.target.value })} />
      <Select aria-label="Sort" className="w-40" options={SORT_OPTIONS} value={view.sort} onChange={(e) => onChange({ ...view, sort: e.target.value as WorkflowSort })} />
      {(view.q || view.tag) && (
        <Button variant="ghost" icon={<X className="size-4" />} onClick={() => onChange({ ...view, q: '', tag: '' })}>
          Clear
        </Button>
      )}
      {onNewFolder && (
        <Button className="ml-auto" icon={<FolderPlus className="size-4" />} onClick={onNewFolder}>
          New folder
        </Button>
      )}
    </div>
  )
}
