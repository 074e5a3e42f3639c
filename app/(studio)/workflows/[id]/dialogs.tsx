'use client'
// Restore (asked first), Run (with input JSON for the manual trigger), and "fix these first".
import { useState } from 'react'
import { AlertTriangle } from 'lucide-react'
import { Button, Dialog } from '@/components/ui'
import { CodeEditor } from '@/lib/forms/fields'
import type { Problem } from '@/lib/store'

/** Restoring a version always asks first: it becomes a new version, and replaces the draft on the canvas. */
export function RestoreDialog({ version, next, replacesDraft, onClose, onRestore }: {
  version: number | null
  /** The number the restored graph will get. */
  next: number
  /** There is a draft or there are unsaved changes: they go. */
  replacesDraft: boolean
  onClose: () => void
  onRestore: (n: number) => Promise<void>
}) {
  const [busy, setBusy] = useState(false)
  const confirm = async () => {
    if (version === null) return
    setBusy(true)
    try {
      await onRestore(version)
    } finally {
      setBusy(false)
      onClose()
    }
  }
  return (
    <Dialog
      open={version !== null}
      onClose={onClose}
      title={`Restore version ${version ?? ''}?`}
      description={`Version ${version ?? ''} is saved again as a new version, version ${next}. The versions in between stay in the history.`}
      footer={
        <>
          <Button variant="ghost" onClick={onClose} data-testid="restore-cancel">Cancel</Button>
          <Button variant="primary" loading={busy} onClick={() => void confirm()} data-testid="restore-confirm">Restore as version {next}</Button>
        </>
      }
    >
      {replacesDraft && (
        <p className="flex items-start gap-2 text-sm text-warn" data-testid="restore-replaces-draft">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" /> Your draft (the changes not saved as a version) is replaced by version {version}.
        </p>
      )}
    </Dialog>
  )
}

export function RunDialog({ open, onClose, onRun, starting }: { open: boolean; onClose: () => void; onRun: (input: unknown) => Promise<boolean>; starting: boolean }) {
  const [text, setText] = useState('{\n  \n}')
  const [error, setError] = useState<string | null>(null)
  const submit = async () => {
    let input: unknown
    try {
      input = text.trim() ? JSON.parse(text) : {}
    } catch (e) {
      return setError((e as Error).message)
    }
    setError(null)
    const items = Array.isArray(input) ? input : [input]
    if (await onRun(items)) onClose()
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Run workflow"
      description="Input for the manual trigger: one JSON object, or an array of objects (one item each)."
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={starting} onClick={submit} data-testid="run-confirm">Run</Button>
        </>
      }
    >
      <CodeEditor label="Run input (JSON)" language="json" rows={6} value={text} onChange={setText} />
      {error && <p className="text-xs text-danger">Not valid JSON: {error}</p>}
    </Dialog>
  )
}

export function ProblemsDialog({ problems, names, onClose, onFocus }: { problems: Problem[] | null; names: Record<string, string>; onClose: () => void; onFocus: (nodeId: string) => void }) {
  return (
    <Dialog open={!!problems} onClose={onClose} title="Fix these before running" description="Your changes are kept as they are; a run needs a valid graph." footer={<Button onClick={onClose}>OK</Button>}>
      <ul className="flex max-h-80 flex-col gap-1 overflow-y-auto text-sm" data-testid="run-problems">
        {(problems ?? []).map((p, i) => (
          <li key={i} className="flex items-start gap-2">
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-warn" />
            <span>
              {p.nodeId ? (
                <button type="button" className="font-medium text-accent hover:underline" onClick={() => { onFocus(p.nodeId!); onClose() }}>{names[p.nodeId] ?? p.nodeId}</button>
              ) : <span className="font-medium">Workflow</span>}
              {p.field ? <span className="text-muted"> · {p.field}</span> : null}: {p.message}
            </span>
          </li>
        ))}
      </ul>
    </Dialog>
  )
}
