'use client'
import { useEffect, useState } from 'react'
import { Button, Dialog, Field, Input, Select } from '@/components/ui'
import { ApiError, errorMessage } from '@/lib/client/api'
import type { WorkflowFolder } from '@/lib/client/api'

/** Name a new folder or rename one; the server's refusal (a name in use) shows under the field. */
export function FolderNameDialog({
  open,
  title,
  initial = '',
  submitLabel,
  onClose,
  onSubmit,
}: {
  open: boolean
  title: string
  initial?: string
  submitLabel: string
  onClose: () => void
  onSubmit: (name: string) => Promise<void>
}) {
  const [name, setName] = useState(initial)
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (open) {
      setName(initial)
      setError(undefined)
    }
  }, [open, initial])

  async function submit() {
    if (!name.trim()) return setError('Give the folder a name')
    setBusy(true)
    try {
      await onSubmit(name.trim())
      onClose()
    } catch (err) {
      setError(err instanceof ApiError && err.fields?.name ? err.message.replace(/^name: /, '') : errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={busy} onClick={() => void submit()}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Field label="Folder name" error={error}>
          {({ id, describedBy, invalid }) => (
            <Input id={id} aria-describedby={describedBy} invalid={invalid} autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
      </form>
    </Dialog>
  )
}

/** Pick where `count` workflows go: a folder, or the top level. */
export function MoveDialog({
  open,
  count,
  folders,
  current,
  onClose,
  onMove,
}: {
  open: boolean
  count: number
  folders: WorkflowFolder[]
  /** The folder being browsed (preselected away from). */
  current: string
  onClose: () => void
  onMove: (folderId: string | null) => Promise<void>
}) {
  const options = [{ value: '', label: 'Top level (no folder)' }, ...folders.filter((f) => f.id !== current).map((f) => ({ value: f.id, label: f.name }))]
  const [target, setTarget] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (open) setTarget(options[current ? 0 : Math.min(1, options.length - 1)].value)
  }, [open])

  async function move() {
    setBusy(true)
    try {
      await onMove(target || null)
      onClose()
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={count === 1 ? 'Move workflow' : `Move ${count} workflows`}
      description={folders.length === 0 ? 'There are no folders yet: create one with “New folder”.' : undefined}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={busy} onClick={() => void move()}>
            Move
          </Button>
        </>
      }
    >
      <Field label="Move to">
        {({ id }) => <Select id={id} options={options} value={target} onChange={(e) => setTarget(e.target.value)} />}
      </Field>
    </Dialog>
  )
}
