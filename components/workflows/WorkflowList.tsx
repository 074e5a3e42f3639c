'use client'
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { Activity, Download, LayoutTemplate, Plus, Trash2, Upload, Workflow } from 'lucide-react'
import { Badge, Button, Dialog, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import type { WorkflowSummary } from '@/lib/client/types'
import { ImportWorkflowDialog } from './ImportWorkflowDialog'
import { NewWorkflowDialog } from './NewWorkflowDialog'

export function WorkflowList() {
  const toast = useToast()
  const [workflows, setWorkflows] = useState<WorkflowSummary[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [importing, setImporting] = useState(false)
  const [deleting, setDeleting] = useState<WorkflowSummary | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      const res = await api.workflows.list()
      setWorkflows(res.workflows)
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(), [load])

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

  const templatesLink = (label: string) => (
    <Link href="/templates" className="inline-flex h-9 items-center gap-2 rounded-md border border-line bg-panel px-3.5 text-sm font-medium hover:bg-panel-2">
      <LayoutTemplate className="size-4" /> {label}
    </Link>
  )
  const newButton = (
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

  return (
    <>
      <PageHeader title="Workflows" description="Design automations on a canvas, save versions and run them." actions={newButton} />
      {loadError ? (
        <EmptyState
          title="Could not load workflows"
          description={loadError}
          action={<Button onClick={() => void load()}>Try again</Button>}
        />
      ) : workflows === null ? (
        <div className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading workflows…
        </div>
      ) : workflows.length === 0 ? (
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
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Status</Th>
              <Th>Version</Th>
              <Th>Updated</Th>
              <Th className="w-32">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {workflows.map((w) => (
              <Tr key={w.id}>
                <Td>
                  <Link href={`/workflows/${w.id}`} className="font-medium hover:text-accent hover:underline">
                    {w.name}
                  </Link>
                  {w.description && <p className="truncate text-xs text-muted">{w.description}</p>}
                </Td>
                <Td>{w.active ? <Badge tone="success">Live · v{w.publishedVersion}</Badge> : <Badge tone="muted">Inactive</Badge>}</Td>
                <Td className="text-muted">v{w.currentVersion}</Td>
                <Td className="text-muted" title={w.updatedAt}>
                  {formatRelative(w.updatedAt)}
                </Td>
                <Td className="flex items-center gap-1">
                  <Link
                    href={`/executions?workflowId=${w.id}&range=all`}
                    aria-label={`Executions of ${w.name}`}
                    title="Executions"
                    className="rounded-md p-1.5 text-muted hover:bg-panel-2 hover:text-fg"
                  >
                    <Activity className="size-3.5" />
                  </Link>
                  <a
                    href={api.workflows.exportUrl(w.id)}
                    download
                    aria-label={`Export ${w.name}`}
                    title="Export as a file"
                    className="rounded-md p-1.5 text-muted hover:bg-panel-2 hover:text-fg"
                  >
                    <Download className="size-3.5" />
                  </a>
                  <Button size="sm" variant="ghost" aria-label={`Delete ${w.name}`} onClick={() => setDeleting(w)} icon={<Trash2 className="size-3.5" />} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <NewWorkflowDialog open={creating} onClose={() => setCreating(false)} />
      <ImportWorkflowDialog open={importing} onClose={() => setImporting(false)} onImported={() => void load()} />
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
    </>
  )
}
