'use client'
// Pinning a node's output: pin the last run's items, edit or paste pinned JSON, unpin. Pinned items are saved with the
// graph and used by the designer's manual runs only (docs/designer.md, "Pinned data").
import { useState } from 'react'
import { Pin, PinOff, Pencil } from 'lucide-react'
import { Button, Dialog, Textarea } from '@/components/ui'
import { api } from '@/lib/client/api'
import type { StepRecord } from '@/lib/client/types'
import { formatBytes, parsePinnedItems, PIN_DATA_MAX_BYTES, pinDataBytes, withPinned } from '@/lib/engine/pin-data'
import { checkpoint, pinDataSet, useAppDispatch, useAppSelector, useAppStore } from '@/lib/store'

type Item = Record<string, unknown>

/** Every output item of a step on one port: the recorded preview when it holds them all, else the pages. */
export async function loadOutputItems(executionId: string, step: StepRecord, port: string): Promise<Item[]> {
  const total = step.outputCounts[port] ?? 0
  const preview = step.output?.[port] ?? []
  if (preview.length >= total) return preview
  const items: Item[] = []
  for (let page = 0; items.length < total; page++) {
    const p = await api.executions.items(executionId, step.nodeId, port, page)
    if (p.items.length === 0) break
    items.push(...p.items)
    if (pinDataBytes({ items }) > PIN_DATA_MAX_BYTES) {
      throw new Error(`This output is over ${formatBytes(PIN_DATA_MAX_BYTES)}, the most a workflow may pin. Use Edit to pin part of it.`)
    }
  }
  return items
}

export function usePinning(nodeId: string) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const pinned = useAppSelector((s) => s.graph.pinData?.[nodeId])
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  /** Pins `items` (null unpins); returns the reason when it cannot. */
  const setPinned = (items: Item[] | null): string | null => {
    const next = withPinned(store.getState().graph.pinData ?? {}, nodeId, items)
    if (!next.ok) return next.error
    dispatch(pinDataSet({ id: nodeId, items }))
    dispatch(checkpoint())
    return null
  }
  return { pinned, readOnly, setPinned }
}

/** "Pin" (the last run's output), "Edit pinned JSON" / "Set JSON", "Unpin". */
export function PinControls({ nodeId, executionId, step, port }: { nodeId: string; executionId: string | null; step: StepRecord | undefined; port: string }) {
  const { pinned, readOnly, setPinned } = usePinning(nodeId)
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState(false)
  // Shown here, not as a toast: the node editor is a modal dialog, above the toasts.
  const [error, setError] = useState<string | null>(null)
  if (readOnly) return null
  const canPin = !pinned && executionId && step?.status === 'succeeded'

  const pinRun = async () => {
    if (!executionId || !step) return
    setBusy(true)
    setError(null)
    try {
      setError(setPinned(await loadOutputItems(executionId, step, port)))
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-1" data-testid="pin-controls">
      {error && <span role="alert" className="text-xs text-danger">{error}</span>}
      {canPin && (
        <Button size="sm" variant="secondary" loading={busy} icon={<Pin className="size-3.5" />} onClick={() => void pinRun()} title={`Pin the ${port} items of the last run: designer runs then use them instead of running this node`}>
          Pin
        </Button>
      )}
      <Button size="sm" variant="ghost" icon={<Pencil className="size-3.5" />} onClick={() => setEditing(true)} title="Type or paste the items this node should output in designer runs">
        {pinned ? 'Edit pinned' : 'Set JSON'}
      </Button>
      {pinned && (
        <Button size="sm" variant="ghost" icon={<PinOff className="size-3.5" />} onClick={() => { setError(null); setPinned(null) }}>
          Unpin
        </Button>
      )}
      <PinJsonDialog open={editing} initial={pinned ?? (step?.status === 'succeeded' ? step.output?.[port] : undefined) ?? []} onClose={() => setEditing(false)} onSave={setPinned} />
    </div>
  )
}

function PinJsonDialog({ open, initial, onClose, onSave }: { open: boolean; initial: Item[]; onClose: () => void; onSave: (items: Item[]) => string | null }) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [wasOpen, setWasOpen] = useState(false)
  if (open !== wasOpen) {
    setWasOpen(open)
    if (open) {
      setText(JSON.stringify(initial, null, 2))
      setError(null)
    }
  }
  const save = () => {
    const parsed = parsePinnedItems(text)
    if (!parsed.ok) return setError(parsed.error)
    const refused = onSave(parsed.items)
    if (refused) return setError(refused)
    onClose()
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Pinned data"
      description="The items this node outputs in designer runs instead of running: a JSON array of objects, or one object. Production runs always run the node."
      className="w-[min(44rem,calc(100vw-2rem))]"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={save}>Pin these items</Button>
        </>
      }
    >
      <Textarea
        aria-label="Pinned items (JSON)"
        data-testid="pin-json"
        rows={16}
        spellCheck={false}
        className="text-xs"
        value={text}
        invalid={!!error}
        onChange={(e) => {
          setText(e.target.value)
          setError(null)
        }}
      />
      {error && <p role="alert" className="text-sm text-danger" data-testid="pin-json-error">{error}</p>}
    </Dialog>
  )
}

/** The banner on a pinned node's output. */
export function PinnedNotice({ count, typeLabel }: { count: number; typeLabel: string }) {
  return (
    <p className="flex items-start gap-1.5 rounded-md border border-accent/40 bg-accent-soft/60 px-2 py-1.5 text-xs" data-testid="pinned-notice">
      <Pin className="mt-0.5 size-3.5 shrink-0 text-accent" />
      <span>
        This node&apos;s output is pinned ({count} item{count === 1 ? '' : 's'}); designer runs will use it instead of calling {typeLabel}. Production runs always run it.
      </span>
    </p>
  )
}
