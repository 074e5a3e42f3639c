'use client'
// Shown when the designer opened the workflow's autosaved draft: it is not the saved version, and can be dropped.
import { FileClock, X } from 'lucide-react'
import { Button } from '@/components/ui'
import { useAppSelector } from '@/lib/store'

export function DraftNote({ savedAt, onDiscard, onDismiss }: { savedAt: string | null; onDiscard: () => void; onDismiss: () => void }) {
  const version = useAppSelector((s) => s.ui.baseVersion)
  const exists = useAppSelector((s) => s.ui.draft.exists)
  const viewing = useAppSelector((s) => s.ui.viewingVersion)
  if (!savedAt || !exists || viewing !== null) return null
  return (
    <div className="flex items-center gap-2 border-b border-line bg-accent-soft px-3 py-1.5 text-xs" role="status" data-testid="draft-banner">
      <FileClock className="size-4 shrink-0 text-accent" />
      <span className="flex-1">
        You are editing your draft from {new Date(savedAt).toLocaleString()}: it differs from the last saved version, v{version}. Save (Ctrl+S) to make it a
        version; production keeps running the published one.
      </span>
      <Button size="sm" variant="ghost" onClick={onDiscard} data-testid="draft-discard">Discard draft</Button>
      <button type="button" aria-label="Hide this note" className="rounded p-1 text-muted hover:bg-panel-2" onClick={onDismiss}>
        <X className="size-3.5" />
      </button>
    </div>
  )
}
