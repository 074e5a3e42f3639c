'use client'
import { useEffect, useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { Button, Field, Input, useToast } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { send } from './http'

/** The workspace's name; admins and the owner may rename it. */
export function WorkspaceSettings() {
  const toast = useToast()
  const router = useRouter()
  const [workspace, setWorkspace] = useState<{ name: string; role: string } | null>(null)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    send<{ workspace: { name: string; role: string } }>('/api/workspaces/current').then(
      ({ workspace }) => (setWorkspace(workspace), setName(workspace.name)),
      (err) => setError(errorMessage(err)),
    )
  }, [])
  const canRename = workspace && ['admin', 'owner'].includes(workspace.role)

  async function save(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const { workspace: saved } = await send<{ workspace: { name: string } }>('/api/workspaces/current', 'PATCH', { name })
      setWorkspace((w) => w && { ...w, name: saved.name })
      toast.success('Workspace renamed')
      router.refresh()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-5">
      <h2 className="text-base font-semibold">Workspace name</h2>
      <form onSubmit={save} className="flex items-end gap-2">
        <Field label="Name" className="flex-1" error={error ?? undefined}>
          {({ id, describedBy, invalid }) => (
            <Input id={id} aria-describedby={describedBy} invalid={invalid} value={name} maxLength={100} disabled={!canRename} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Button type="submit" variant="primary" loading={busy} disabled={!canRename || !name.trim() || name === workspace?.name}>
          Rename
        </Button>
      </form>
      {workspace && !canRename && <p className="text-sm text-muted">Only an admin or the owner can rename the workspace.</p>}
    </section>
  )
}
