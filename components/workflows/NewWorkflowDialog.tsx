'use client'
import { useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { Button, Dialog, Field, Input } from '@/components/ui'
import { api, ApiError, errorMessage } from '@/lib/client/api'

const EMPTY_GRAPH = { nodes: [], edges: [], notes: [] }

/** Asks for a name, creates an empty workflow and opens it in the designer. */
export function NewWorkflowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function create(e: FormEvent) {
    e.preventDefault()
    if (!name.trim()) return setError('Give the workflow a name.')
    setBusy(true)
    setError(null)
    try {
      const { id } = await api.workflows.create({ name: name.trim(), graph: EMPTY_GRAPH, message: 'Created' })
      router.push(`/workflows/${id}`)
    } catch (err) {
      setError(err instanceof ApiError && err.fields?.name ? err.fields.name : errorMessage(err))
      setBusy(false)
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title="New workflow" description="Start from an empty canvas; add a trigger first.">
      <form onSubmit={create} className="flex flex-col gap-4">
        <Field label="Name" error={error ?? undefined}>
          {({ id, describedBy, invalid }) => (
            <Input id={id} aria-describedby={describedBy} invalid={invalid} autoFocus value={name} placeholder="e.g. Sync new leads to CRM" onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            Create and open
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
