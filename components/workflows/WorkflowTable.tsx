'use client'
import Link from 'next/link'
import { Activity, Download, Folder, FolderInput, Trash2 } from 'lucide-react'
import { Badge, Button, SelectAllBox, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { api, type WorkflowFolder } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import type { WorkflowSummary } from '@/lib/client/types'
import type { WorkflowSort } from '@/lib/client/workflow-list-params'
import { TagEditor } from './TagEditor'

const iconLink = 'rounded-md p-1.5 text-muted hover:bg-panel-2 hover:text-fg'

export interface WorkflowTableProps {
  workflows: WorkflowSummary[]
  /** Folders listed above the workflows (the top level while not searching). */
  folders: WorkflowFolder[]
  /** Show the folder each workflow sits in (a search across folders). */
  showFolder: boolean
  sort: WorkflowSort
  selected: ReadonlySet<string>
  knownTags: string[]
  onSelect: (ids: string[], checked: boolean) => void
  onOpenFolder: (id: string) => void
  onPickTag: (tag: string) => void
  onTagsChanged: (id: string, tags: string[]) => void
  onMove: (w: WorkflowSummary) => void
  onDelete: (w: WorkflowSummary) => void
}

export function WorkflowTable(p: WorkflowTableProps) {
  const timeKey = p.sort === 'created' ? 'createdAt' : 'updatedAt'
  return (
    <Table>
      <THead>
        <tr>
          <Th className="w-10">
            <SelectAllBox ids={p.workflows.map((w) => w.id)} selected={p.selected} onSelect={p.onSelect} label="Select all workflows" />
          </Th>
          <Th>Name</Th>
          {p.showFolder && <Th>Folder</Th>}
          <Th>Status</Th>
          <Th>Version</Th>
          <Th>{p.sort === 'created' ? 'Created' : 'Updated'}</Th>
          <Th className="w-36">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {p.folders.map((f) => (
          <Tr key={f.id} data-testid="folder-row" data-folder-id={f.id} onClick={() => p.onOpenFolder(f.id)}>
            <Td />
            <Td colSpan={p.showFolder ? 6 : 5}>
              <span className="flex items-center gap-2">
                <Folder className="size-4 text-accent" />
                <button type="button" className="font-medium hover:text-accent hover:underline" onClick={(e) => (e.stopPropagation(), p.onOpenFolder(f.id))}>
                  {f.name}
                </button>
                <span className="text-xs text-muted">
                  {f.workflowCount ?? 0} workflow{f.workflowCount === 1 ? '' : 's'}
                </span>
              </span>
            </Td>
          </Tr>
        ))}
        {p.workflows.map((w) => (
          <Tr key={w.id} data-testid="workflow-row" data-workflow-id={w.id} className={p.selected.has(w.id) ? 'group bg-accent-soft/60' : 'group'}>
            <Td>
              <input
                type="checkbox"
                aria-label={`Select ${w.name}`}
                className="size-4 align-middle accent-accent"
                checked={p.selected.has(w.id)}
                onChange={(e) => p.onSelect([w.id], e.target.checked)}
              />
            </Td>
            <Td className="max-w-md">
              <Link href={`/workflows/${w.id}`} className="font-medium hover:text-accent hover:underline">
                {w.name}
              </Link>
              {w.description && <p className="truncate text-xs text-muted">{w.description}</p>}
              <TagEditor
                workflowId={w.id}
                workflowName={w.name}
                tags={w.tags ?? []}
                known={p.knownTags}
                canEdit
                onChange={(tags) => p.onTagsChanged(w.id, tags)}
                onPick={p.onPickTag}
              />
            </Td>
            {p.showFolder && (
              <Td className="text-muted">
                {w.folderId ? (
                  <button type="button" className="inline-flex items-center gap-1 hover:text-accent" onClick={() => p.onOpenFolder(w.folderId!)}>
                    <Folder className="size-3.5" /> {w.folderName}
                  </button>
                ) : (
                  '—'
                )}
              </Td>
            )}
            <Td>{w.active ? <Badge tone="success">Live · v{w.publishedVersion}</Badge> : <Badge tone="muted">Inactive</Badge>}</Td>
            <Td className="text-muted">v{w.currentVersion}</Td>
            <Td className="whitespace-nowrap text-muted" title={w[timeKey]}>
              {formatRelative(w[timeKey])}
            </Td>
            <Td>
              <span className="flex items-center gap-1">
                <Link href={`/executions?workflowId=${w.id}&range=all`} aria-label={`Executions of ${w.name}`} title="Executions" className={iconLink}>
                  <Activity className="size-3.5" />
                </Link>
                <a href={api.workflows.exportUrl(w.id)} download aria-label={`Export ${w.name}`} title="Export as a file" className={iconLink}>
                  <Download className="size-3.5" />
                </a>
                <Button size="sm" variant="ghost" aria-label={`Move ${w.name}`} title="Move to a folder" onClick={() => p.onMove(w)} icon={<FolderInput className="size-3.5" />} />
                <Button size="sm" variant="ghost" aria-label={`Delete ${w.name}`} title="Delete" onClick={() => p.onDelete(w)} icon={<Trash2 className="size-3.5" />} />
              </span>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  )
}
