'use client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { ChevronRight, LayoutTemplate, Pencil, Plus, SearchX, Trash2, Upload, Workflow } from 'lucide-react'
import { Button, Dialog, EmptyState, Spinner, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage, type WorkflowFolder } from '@/lib/client/api'
import type { WorkflowSummary } from '@/lib/client/types'
import { useSelection } from '@/lib/client/use-selection'
import { isSearching, toListQuery, viewFromParams, viewToParams, type WorkflowListView } from '@/lib/client/workflow-list-params'
import { FolderNameDialog, MoveDialog } from './FolderDialogs'
import { ImportWorkflowDialog } from './ImportWorkflowDialog'
import { NewWorkflowDialog } from './NewWorkflowDialog'
import { WorkflowBulkBar } from './WorkflowBulkBar'
import { WorkflowListToolbar } from './WorkflowListToolbar'
import { WorkflowTable } from './WorkflowTable'

/**
 * The workflow list: folders, search by name, a tag filter and sort (all in the URL, so a view survives a reload),
 * tags on each row, and bulk actions on the checked rows.
 */
export function WorkflowList() {
  const toast = useToast()
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const view = useMemo(() => viewFromParams(params), [params])
  const setView = useCallback(
    (v: WorkflowListView) => {
      const qs = viewToParams(v).toString()
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false })
    },
    [router, pathname],
  )

  const [workflows, setWorkflows] = useState<WorkflowSummary[] | null>(null)
  const [folders, setFolders] = useState<WorkflowFolder[]>([])
  const [tags, setTags] = useState<Array<{ tag: string; count: number }>>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const { selected, select, clear, keepOnly } = useSelection()
  const [creating, setCreating] = useState(false)
  const [importing, setImporting] = useState(false)
  const [deleting, setDeleting] = useState<WorkflowSummary | null>(null)
  const [moving, setMoving] = useState<WorkflowSummary | null>(null)
  const [folderDialog, setFolderDialog] = useState<'new' | 'rename' | null>(null)
  const [deletingFolder, setDeletingFolder] = useState(false)
  const [busy, setBusy] = useState(false)

  const viewRef = useRef(view)
  viewRef.current = view
  /** Answers of an older view arriving after a newer one's are dropped. */
  const seq = useRef(0)

  const load = useCallback(async () => {
    const mine = ++seq.current
    try {
      const [list, f, t] = await Promise.all([api.workflows.list(toListQuery(viewRef.current)), api.folders.list(), api.workflows.tags()])
      if (mine !== seq.current) return
      setWorkflows(list.workflows)
      setFolders(f.folders)
      setTags(t.tags)
      setLoadError(null)
      keepOnly(list.workflows)
    } catch (err) {
      if (mine === seq.current) setLoadError(errorMessage(err))
    }
  }, [keepOnly])
  useEffect(() => void load(), [load, view])

  const folder = folders.find((f) => f.id === view.folder)
  const searching = isSearching(view)
  const shownFolders = view.folder || searching ? [] : folders

  async function remove() {
    if (!deleting) return
    setBusy(true)
    try {
      await api.workflows.remove(deleting.id)
      toast.success(`Deleted “${deleting.name}”`)
      setDeleting(null)
      await load()
    } catch (err) {
      toast.error(err, 'Could not delete the workflow')
    } finally {
      setBusy(false)
    }
  }

  async function moveOne(folderId: string | null) {
    if (!moving) return
    try {
      const res = await api.workflows.bulk({ action: 'move', ids: [moving.id], folderId })
      const r = res.results[0]
      if (r && !r.ok) throw new Error(r.error.message)
      toast.success(`Moved “${moving.name}” to ${folderId ? (folders.find((f) => f.id === folderId)?.name ?? 'the folder') : 'the top level'}`)
      await load()
    } catch (err) {
      toast.error(err, 'Could not move the workflow')
    }
  }

  async function removeFolder() {
    if (!folder) return
    setBusy(true)
    try {
      const res = await api.folders.remove(folder.id)
      toast.success(`Deleted the folder “${folder.name}”`, res.movedToTop ? `${res.movedToTop} workflow${res.movedToTop === 1 ? '' : 's'} moved to the top level.` : undefined)
      setDeletingFolder(false)
      setView({ ...view, folder: '' })
    } catch (err) {
      toast.error(err, 'Could not delete the folder')
    } finally {
      setBusy(false)
    }
  }

  const templatesLink = (label: string) => (
    <Link href="/templates" className="inline-flex h-9 items-center gap-2 rounded-md border border-line bg-panel px-3.5 text-sm font-medium hover:bg-panel-2">
      <LayoutTemplate className="size-4" /> {label}
    </Link>
  )
  const headerActions = (
    <div className="flex items-center gap-2">
      {templatesLink('Templates')}
      <Button icon={<Upload className="size-4" />} onClick={() => setImporting(true)}>
        Import
      </Button>
      <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
        New workflow
      </Button>
    </div>
  )
  // Nothing at the top level and no folder: the workspace has no workflow at all.
  const firstRun = workflows !== null && workflows.length === 0 && folders.length === 0 && !view.folder && !searching

  return (
    <>
      <PageHeader title="Workflows" description="Design automations on a canvas, save versions and run them." actions={headerActions} />
      {view.folder && (
        <nav aria-label="Folder" className="-mt-2 flex flex-wrap items-center gap-2 text-sm">
          <button type="button" className="text-muted hover:text-fg hover:underline" onClick={() => setView({ ...view, folder: '' })}>
            All workflows
          </button>
          <ChevronRight className="size-4 text-muted" />
          <span className="font-medium" data-testid="current-folder">
            {folder?.name ?? '…'}
          </span>
          {folder && (
            <span className="ml-2 flex items-center gap-1">
              <Button size="sm" variant="ghost" icon={<Pencil className="size-3.5" />} onClick={() => setFolderDialog('rename')}>
                Rename
              </Button>
              <Button size="sm" variant="ghost" icon={<Trash2 className="size-3.5" />} onClick={() => setDeletingFolder(true)}>
                Delete folder
              </Button>
            </span>
          )}
        </nav>
      )}
      {!firstRun && (
        <WorkflowListToolbar view={view} tags={tags} onChange={setView} onNewFolder={view.folder ? undefined : () => setFolderDialog('new')} />
      )}
      <WorkflowBulkBar ids={[...selected]} folders={folders} folder={view.folder} onDone={load} onClear={clear} />
      {loadError ? (
        <EmptyState title="Could not load workflows" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : workflows === null ? (
        <div className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading workflows…
        </div>
      ) : firstRun ? (
        <EmptyState
          icon={<Workflow />}
          title="No workflows yet"
          description="Start from a template, or create your first workflow on a blank canvas: add a Manual trigger, connect the steps you need, save and run it."
          action={
            <div className="flex items-center gap-2">
              {templatesLink('Start from a template')}
              <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
                Blank canvas
              </Button>
            </div>
          }
        />
      ) : workflows.length === 0 && shownFolders.length === 0 ? (
        <EmptyState
          icon={<SearchX />}
          title={searching ? 'No workflows match' : 'This folder is empty'}
          description={searching ? 'Try another name or tag, or clear the search.' : 'Select workflows in the list and use “Move to…” to put them here.'}
          action={searching ? <Button onClick={() => setView({ ...view, q: '', tag: '' })}>Clear search</Button> : undefined}
        />
      ) : (
        <WorkflowTable
          workflows={workflows}
          folders={shownFolders}
          showFolder={searching && !view.folder}
          sort={view.sort}
          selected={selected}
          knownTags={tags.map((t) => t.tag)}
          onSelect={select}
          onOpenFolder={(id) => setView({ ...view, folder: id, q: '', tag: '' })}
          onPickTag={(tag) => setView({ ...view, tag })}
          onTagsChanged={(id, next) => {
            setWorkflows((list) => list?.map((w) => (w.id === id ? { ...w, tags: next } : w)) ?? list)
            api.workflows.tags().then((r) => setTags(r.tags), () => undefined)
          }}
          onMove={setMoving}
          onDelete={setDeleting}
        />
      )}
      <NewWorkflowDialog open={creating} onClose={() => setCreating(false)} />
      <ImportWorkflowDialog open={importing} onClose={() => setImporting(false)} onImported={() => void load()} />
      <MoveDialog open={moving !== null} count={1} folders={folders} current={moving?.folderId ?? ''} onClose={() => setMoving(null)} onMove={moveOne} />
      <FolderNameDialog
        open={folderDialog !== null}
        title={folderDialog === 'rename' ? 'Rename folder' : 'New folder'}
        initial={folderDialog === 'rename' ? (folder?.name ?? '') : ''}
        submitLabel={folderDialog === 'rename' ? 'Rename' : 'Create folder'}
        onClose={() => setFolderDialog(null)}
        onSubmit={async (name) => {
          if (folderDialog === 'rename' && folder) await api.folders.rename(folder.id, name)
          else await api.folders.create(name)
          await load()
        }}
      />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete “${deleting?.name ?? ''}”?`}
        description="Its versions and execution history are deleted too. This cannot be undone."
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" loading={busy} onClick={() => void remove()}>
              Delete workflow
            </Button>
          </>
        }
      />
      <Dialog
        open={deletingFolder}
        onClose={() => setDeletingFolder(false)}
        title={`Delete the folder “${folder?.name ?? ''}”?`}
        description={`Its ${folder?.workflowCount ?? 0} workflow${folder?.workflowCount === 1 ? '' : 's'} move to the top level; no workflow is deleted.`}
        footer={
          <>
            <Button onClick={() => setDeletingFolder(false)}>Cancel</Button>
            <Button variant="danger" loading={busy} onClick={() => void removeFolder()}>
              Delete folder
            </Button>
          </>
        }
      />
    </>
  )
}
