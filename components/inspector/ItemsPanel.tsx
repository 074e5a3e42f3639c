'use client'
// One side of the node editor (its input or its output): items as Table / JSON / Schema, a page at a time, with
// draggable fields when they can be mapped onto a parameter.
import { useEffect, useMemo, useState, type DragEvent, type ReactNode } from 'react'
import { GripVertical } from 'lucide-react'
import { ItemsTable, JsonView, Pager } from '@/components/ui'
import { api } from '@/lib/client/api'
import { fieldExpression, itemSchema, sampleText, type SchemaField } from './item-schema'
import { startFieldDrag } from './field-drop'

type Item = Record<string, unknown>
export type ItemsView = 'table' | 'json' | 'schema'

/** Items recorded by a run (paged by the server when it holds more than its preview), or items at hand (pinned). */
export type ItemsSource =
  | { kind: 'run'; executionId: string; nodeId: string; port: string; preview: Item[]; total: number }
  | { kind: 'items'; items: Item[] }

export const PAGE_SIZE = 100

function usePage(source: ItemsSource | null, page: number): { items: Item[]; total: number; loading: boolean } {
  const [fetched, setFetched] = useState<{ key: string; items: Item[]; total: number } | null>(null)
  const remote = source?.kind === 'run' && source.preview.length < source.total
  const key = source?.kind === 'run' ? `${source.executionId}:${source.nodeId}:${source.port}:${page}` : ''
  useEffect(() => {
    if (!remote || source?.kind !== 'run') return
    let live = true
    api.executions.items(source.executionId, source.nodeId, source.port, page).then(
      (d) => live && setFetched({ key, items: d.items, total: d.total }),
      () => live && setFetched({ key, items: [], total: source.total }),
    )
    return () => {
      live = false
    }
  }, [remote, key]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!source) return { items: [], total: 0, loading: false }
  if (remote) return fetched?.key === key ? { items: fetched.items, total: fetched.total, loading: false } : { items: [], total: source.total, loading: true }
  const all = source.kind === 'run' ? source.preview : source.items
  return { items: all.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), total: all.length, loading: false }
}

export function ItemsPanel({ label, source, empty, drag, toolbar, notice, testId }: {
  label: string
  source: ItemsSource | null
  /** Shown when there is no source. */
  empty: ReactNode
  /** Where dragged fields come from (null: not draggable). */
  drag?: { name: string; direct: boolean } | null
  toolbar?: ReactNode
  notice?: ReactNode
  testId: string
}) {
  const [view, setView] = useState<ItemsView>('table')
  const [page, setPage] = useState(0)
  const sourceKey = source ? (source.kind === 'run' ? `${source.executionId}:${source.nodeId}:${source.port}` : source.items) : null
  useEffect(() => setPage(0), [sourceKey])
  const { items, total, loading } = usePage(source, page)
  const schema = useMemo(() => (view === 'schema' ? itemSchema(items) : []), [view, items])

  const dragPath = drag ? (path: string[], e: DragEvent) => startFieldDrag(e, fieldExpression(path, drag)) : undefined

  return (
    <section className="flex min-h-0 min-w-0 flex-col" aria-label={label} data-testid={testId}>
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-line px-3 py-2">
        <div className="flex items-center gap-2">
          <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{label}</h3>
          {source && <span className="text-xs text-muted" data-testid={`${testId}-count`}>{total.toLocaleString()} item{total === 1 ? '' : 's'}</span>}
        </div>
        <div className="flex items-center gap-2">
          {toolbar}
          <div className="flex rounded-md border border-line text-xs" role="group" aria-label={`${label} view`}>
            {(['table', 'json', 'schema'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} className={`px-2 py-0.5 ${view === v ? 'bg-panel-2 font-medium' : 'text-muted'}`}>
                {v === 'table' ? 'Table' : v === 'json' ? 'JSON' : 'Schema'}
              </button>
            ))}
          </div>
        </div>
      </header>
      <div className="flex min-h-0 flex-1 flex-col gap-2 overflow-auto p-3">
        {notice}
        {!source ? (
          <div className="py-6 text-center text-sm text-muted">{empty}</div>
        ) : loading ? (
          <p className="text-sm text-muted">Loading items…</p>
        ) : total === 0 ? (
          <p className="text-sm text-muted">No items.</p>
        ) : view === 'table' ? (
          <ItemsTable items={items} total={total} page={page} onPageChange={setPage} pageSize={PAGE_SIZE} maxColumns={200}
            onHeaderDragStart={dragPath && ((c, e) => dragPath([c], e))} />
        ) : (
          <>
            {view === 'json' ? (
              <JsonView value={items} openDepth={2} onKeyDragStart={dragPath && ((path, e) => path.length > 1 && dragPath(path.slice(1), e))} />
            ) : (
              <SchemaView fields={schema} onDragStart={dragPath} />
            )}
            <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />
          </>
        )}
        {drag && source && total > 0 && <p className="text-[11px] text-muted">Drag a field onto a parameter to use it there.</p>}
      </div>
    </section>
  )
}

function SchemaView({ fields, onDragStart }: { fields: SchemaField[]; onDragStart?: (path: string[], e: DragEvent) => void }) {
  if (fields.length === 0) return <p className="text-sm text-muted">The items have no fields.</p>
  return (
    <ul className="flex flex-col gap-0.5 text-xs" data-testid="schema-view">
      {fields.map((f) => <SchemaRow key={f.key} field={f} depth={0} onDragStart={onDragStart} />)}
    </ul>
  )
}

function SchemaRow({ field, depth, onDragStart }: { field: SchemaField; depth: number; onDragStart?: (path: string[], e: DragEvent) => void }) {
  const nested = field.children.length > 0
  return (
    <li>
      <div
        className={`flex items-center gap-2 rounded px-1 py-0.5 hover:bg-panel-2 ${onDragStart ? 'cursor-grab' : ''}`}
        style={{ paddingLeft: 4 + depth * 14 }}
        draggable={onDragStart ? true : undefined}
        onDragStart={onDragStart && ((e) => onDragStart(field.path, e))}
        data-schema-field={field.path.join('.')}
      >
        {onDragStart && <GripVertical className="size-3 shrink-0 text-muted" />}
        <span className="font-mono font-medium">{field.key}</span>
        <span className="rounded bg-panel-2 px-1 text-[10px] text-muted">{field.type}</span>
        {!nested && <span className="truncate font-mono text-muted">{sampleText(field.sample)}</span>}
      </div>
      {nested && (
        <ul>
          {field.children.map((c) => <SchemaRow key={c.key} field={c} depth={depth + 1} onDragStart={onDragStart} />)}
        </ul>
      )}
    </li>
  )
}
