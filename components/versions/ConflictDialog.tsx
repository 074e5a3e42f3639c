'use client'
// Shown when saving hits 409: someone saved a newer version. Never overwrite silently.
import { Button, Dialog } from '@/components/ui'
import type { GraphDiff } from '@/lib/store/diff'
import { DiffView } from './DiffView'

export interface Conflict {
  theirVersion: number
  theirMessage: string | null
  /** What they changed relative to the version this editor started from. */
  theirChanges: GraphDiff
  /** What this editor changed relative to the same base. */
  myChanges: GraphDiff
}

export function ConflictDialog({ conflict, onReload, onOverwrite, onClose, busy }: {
  conflict: Conflict | null
  onReload: () => void
  onOverwrite: () => void
  onClose: () => void
  busy?: boolean
}) {
  return (
    <Dialog
      open={!!conflict}
      onClose={onClose}
      className="w-[min(44rem,calc(100vw-2rem))]"
      title="Someone saved a newer version"
      description={conflict ? `Version ${conflict.theirVersion}${conflict.theirMessage ? ` (“${conflict.theirMessage}”)` : ''} was saved while you were editing.` : undefined}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>Keep editing</Button>
          <Button variant="secondary" onClick={onReload} data-testid="conflict-reload">Discard mine, load theirs</Button>
          <Button variant="danger" loading={busy} onClick={onOverwrite} data-testid="conflict-overwrite">Save mine over it</Button>
        </>
      }
    >
      {conflict && (
        <div className="grid max-h-[55vh] grid-cols-2 gap-4 overflow-y-auto" data-testid="conflict-dialog">
          <section>
            <h3 className="mb-1 text-sm font-semibold">Their changes</h3>
            <DiffView diff={conflict.theirChanges} />
          </section>
          <section>
            <h3 className="mb-1 text-sm font-semibold">Your unsaved changes</h3>
            <DiffView diff={conflict.myChanges} />
          </section>
        </div>
      )}
    </Dialog>
  )
}
