'use client'
// Save (with a message), Run (with input JSON for the manual trigger), and "fix these first".
import { useEffect, useState } from 'react'
import { AlertTriangle } from 'lucide-react'
import { Button, Dialog, Input } from '@/components/ui'
import { CodeEditor } from '@/lib/forms/fields'
import type { Problem } from '@/lib/store'

export function SaveDialog({ open, onClose, onSave, saving }: { open: boolean; onClose: () => void; onSave: (message: string) => Promise<boolean>; saving: boolean }) {
  const [message, setMessage] = useState('')
  useEffect(() => {
    if (open) setMessage('')
  }, [open])
  const submit = async () => {
    if (await onSave(message.trim())) onClose()
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Save a new version"
      description="Drafts are saved even when they still have problems; Run lists them."
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={saving} onClick={submit} data-testid="save-confirm">Save</Button>
        </>
      }
    >
      <form onSubmit={(e) => { e.preventDefault(); void submit() }}>
        <Input autoFocus aria-label="Version message" data-testid="save-message" placeholder="What changed? (optional)" value={message} onChange={(e) => setMessage(e.target.value)} />
      </form>
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
      <CodeEditor label="Run input (JSON)" rows={6} value={text} onChange={setText} />
      {error && <p className="text-xs text-danger">Not valid JSON: {error}</p>}
    </Dialog>
  )
}

export function ProblemsDialog({ problems, names, onClose, onFocus }: { problems: Problem[] | null; names: Record<string, string>; onClose: () => void; onFocus: (nodeId: string) => void }) {
  return (
    <Dialog open={!!problems} onClose={onClose} title="Fix these before running" description="The draft is saved as it is; a run needs a valid graph." footer={<Button onClick={onClose}>OK</Button>}>
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
