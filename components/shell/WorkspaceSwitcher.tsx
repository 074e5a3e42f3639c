'use client'
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { Building2, Check, ChevronDown, Plus } from 'lucide-react'
import { Button, Dialog, Field, Input, useToast } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { ROLE_LABELS, send } from '@/components/workspace/http'
import { confirmLeave } from './leave-guard'

interface Workspace {
  id: string
  name: string
  role: string
  current: boolean
}

/** The workspace this session works in, the others the user belongs to, and "New workspace…". */
export function WorkspaceSwitcher() {
  const router = useRouter()
  const toast = useToast()
  const [list, setList] = useState<Workspace[]>([])
  const [open, setOpen] = useState(false)
  const [creating, setCreating] = useState(false)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const root = useRef<HTMLDivElement>(null)

  const load = useCallback(() => send<{ workspaces: Workspace[] }>('/api/workspaces').then((r) => setList(r.workspaces), () => undefined), [])
  useEffect(() => void load(), [load])
  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false)
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)
    document.addEventListener('mousedown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('mousedown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  async function switchTo(id: string) {
    setOpen(false)
    if (!(await confirmLeave())) return
    try {
      await send('/api/workspaces/switch', 'POST', { tenantId: id })
      await load()
      // Pages hold the old workspace's data: start again from the workflow list.
      router.push('/workflows')
      router.refresh()
    } catch (err) {
      toast.error(err, 'Could not switch workspace')
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const { workspace } = await send<{ workspace: Workspace }>('/api/workspaces', 'POST', { name })
      setCreating(false)
      setName('')
      await switchTo(workspace.id)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const current = list.find((w) => w.current)
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Workspace: ${current?.name ?? '…'}. Switch workspace`}
        onClick={() => setOpen(!open)}
        className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-muted hover:bg-panel-2 hover:text-fg"
      >
        <Building2 className="size-4" />
        <span className="max-w-40 truncate" data-testid="current-workspace">
          {current?.name ?? 'Workspace'}
        </span>
        <ChevronDown className="size-3.5" />
      </button>
      {open && (
        <div role="menu" className="absolute left-0 z-40 mt-1 w-64 rounded-lg border border-line bg-panel p-1 shadow-lg">
          {list.map((w) => (
            <button
              key={w.id}
              type="button"
              role="menuitem"
              onClick={() => (w.current ? setOpen(false) : void switchTo(w.id))}
              className="flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm hover:bg-panel-2"
            >
              <span className="grid size-4 place-items-center">{w.current && <Check className="size-4 text-accent" />}</span>
              <span className="flex-1 truncate">{w.name}</span>
              <span className="text-xs text-muted">{ROLE_LABELS[w.role] ?? w.role}</span>
            </button>
          ))}
          <div className="my-1 border-t border-line" />
          <button
            type="button"
            role="menuitem"
            onClick={() => (setOpen(false), setCreating(true))}
            className="flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm hover:bg-panel-2"
          >
            <Plus className="size-4" /> New workspace…
          </button>
        </div>
      )}
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="New workspace"
        description="You will be its owner. Workflows, credentials and members are separate in each workspace."
      >
        <form onSubmit={create} className="flex flex-col gap-4">
          <Field label="Workspace name" error={error ?? undefined}>
            {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} value={name} maxLength={100} autoFocus onChange={(e) => setName(e.target.value)} />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button onClick={() => setCreating(false)}>Cancel</Button>
            <Button type="submit" variant="primary" loading={busy} disabled={!name.trim()}>
              Create workspace
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  )
}
