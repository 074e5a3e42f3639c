// The workflow list's view in the URL (/workflows?q=…&tag=…&folder=…&sort=…), so a search survives a reload and can
// be linked; and what the list API is asked for that view. Pure, unit-tested.
import type { WorkflowListQuery } from './api'

export type WorkflowSort = 'updated' | 'created' | 'name'

export interface WorkflowListView {
  q: string
  tag: string
  /** A folder's id; '' at the top level. */
  folder: string
  sort: WorkflowSort
}

export const DEFAULT_VIEW: WorkflowListView = { q: '', tag: '', folder: '', sort: 'updated' }
const SORTS: WorkflowSort[] = ['updated', 'created', 'name']

export function viewFromParams(params: { get(name: string): string | null }): WorkflowListView {
  const sort = params.get('sort') as WorkflowSort | null
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    tag: params.get('tag') ?? '',
    folder: params.get('folder') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'updated',
  }
}

export function viewToParams(v: WorkflowListView): URLSearchParams {
  const p = new URLSearchParams()
  if (v.folder) p.set('folder', v.folder)
  if (v.q.trim()) p.set('q', v.q.trim())
  if (v.tag) p.set('tag', v.tag)
  if (v.sort !== DEFAULT_VIEW.sort) p.set('sort', v.sort)
  return p
}

/** Whether the view searches (a name or a tag): at the top level that looks in every folder. */
export const isSearching = (v: WorkflowListView) => v.q.trim() !== '' || v.tag !== ''

/** Inside a folder: its workflows. At the top level: those in no folder, or every match while searching. */
export function toListQuery(v: WorkflowListView): WorkflowListQuery {
  return {
    q: v.q.trim() || undefined,
    tag: v.tag || undefined,
    folder: v.folder || (isSearching(v) ? undefined : 'root'),
    sort: v.sort,
  }
}
