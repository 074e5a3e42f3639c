'use client'
import { useState } from 'react'
import { Download, FolderInput, Power, PowerOff, Trash2, X } from 'lucide-react'
import { Button, Dialog, useToast } from '@/components/ui'
import { api, type WorkflowFolder } from '@/lib/client/api'
import { BulkResults, type BulkReport } from './BulkResults'
import { MoveDialog } from './FolderDialogs'

type Action = 'activate' | 'deactivate' | 'delete'
const DONE: Record<Action | 'move', string> = { activate: 'Activated', deactivate: 'Deactivated', delete: 'Deleted', move: 'Moved' }
const plural = (n: number) => `${n} workflow${n === 1 ? '' : 's'}`

/** Actions on the checked rows: activate, deactivate, move, export, delete (asks first). Reports what could not be done. */
export function WorkflowBulkBar({ ids, folders, folder, onDone, onClear }: { ids: string[]; folders: WorkflowFolder[]; folder: string; onDone: () => Promise<void>; onClear: () => void }) {
  const toast = useToast()
  const [busy, setBusy] = useState<Action | 'export' | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [moving, setMoving] = useState(false)
  const [report, setReport] = useState<BulkReport | null>(null)
  const n = ids.length

  async function run(body: Parameters<typeof api.workflows.bulk>[0]) {
    const action = body.action
    try {
      const res = await api.workflows.bulk(body)
      const failures = res.results.flatMap((r) => (r.ok ? [] : [{ id: r.id, name: r.name, message: r.error.message }]))
      if (failures.length === 0) toast.success(`${DONE[action]} ${plural(res.succeeded)}`)
      else setReport({ title: `${DONE[action]} ${res.succeeded} of ${plural(res.results.length)}`, failures })
      onClear()
      await onDone()
    } catch (err) {
      toast.error(err, 'The bulk action failed')
    }
  }

  async function act(action: Action) {
    setBusy(action)
    await run({ action, ids })
    setBusy(null)
    setConfirmDelete(false)
  }

  async function exportFile() {
    setBusy('export')
    try {
      const res = await fetch(api.workflows.exportManyUrl(ids), { credentials: 'same-origin' })
      if (!res.ok) throw new Error((await res.json().catch(() => null))?.error?.message ?? `The server answered ${res.status}`)
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'workflows.auterity.json'
      const url = URL.createObjectURL(await res.blob())
      const a = Object.assign(document.createElement('a'), { href: url, download: name })
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      toast.success(`Exported ${plural(n)}`, name)
    } catch (err) {
      toast.error(err, 'Could not export')
    } finally {
      setBusy(null)
    }
  }

  // Rendered with nothing checked too: the report of what a bulk action could not do outlives the selection it cleared.
  return (
    <>
      {n > 0 && (
        <div role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar" className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2">
          <span className="mr-1 text-sm font-medium" data-testid="selected-count">
            {n} selected
          </span>
          <Button size="sm" loading={busy === 'activate'} icon={<Power className="size-3.5" />} onClick={() => void act('activate')}>
            Activate
          </Button>
          <Button size="sm" loading={busy === 'deactivate'} icon={<PowerOff className="size-3.5" />} onClick={() => void act('deactivate')}>
            Deactivate
          </Button>
          <Button size="sm" icon={<FolderInput className="size-3.5" />} onClick={() => setMoving(true)}>
            Move to…
          </Button>
          <Button size="sm" loading={busy === 'export'} icon={<Download className="size-3.5" />} onClick={() => void exportFile()}>
            Export
          </Button>
          <Button size="sm" variant="danger" icon={<Trash2 className="size-3.5" />} onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
          <Button size="sm" variant="ghost" className="ml-auto" icon={<X className="size-3.5" />} onClick={onClear}>
            Clear selection
          </Button>
        </div>
      )}
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete ${plural(n)}?`}
        description={`The ${n === 1 ? 'workflow is' : `${n} workflows are`} deleted with ${n === 1 ? 'its' : 'their'} versions and execution history. This cannot be undone.`}
        footer={
          <>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button variant="danger" loading={busy === 'delete'} onClick={() => void act('delete')}>
              Delete {plural(n)}
            </Button>
          </>
        }
      />
      <MoveDialog open={moving} count={n} folders={folders} current={folder} onClose={() => setMoving(false)} onMove={(folderId) => run({ action: 'move', ids, folderId })} />
      <BulkResults report={report} onClose={() => setReport(null)} />
    </>
  )
}
