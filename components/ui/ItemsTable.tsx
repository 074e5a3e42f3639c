'use client'
import { useMemo, useState, type DragEvent } from 'react'
import { Pager } from './Pager'
import { isFileRef } from '@/lib/files/ref'
import { cn } from './cn'
import { FileChip } from './FileChip'

export interface ItemsTableProps {
  /** The items of the current page (server paging) or all items (client paging). */
  items: Array<Record<string, unknown>>
  /** Server paging: total item count, 0-based page and a page change callback. Omit all three to page on the client. */
  total?: number
  page?: number
  onPageChange?: (page: number) => void
  pageSize?: number
  /** Columns beyond this are cut (wide items are better read in the JSON view). */
  maxColumns?: number
  className?: string
  /** Makes the column headers draggable (the node editor maps a dragged field onto a parameter). */
  onHeaderDragStart?: (column: string, e: DragEvent) => void
}

/** Items as rows, their top-level keys as columns; nested values shown as compact JSON, files as files. */
export function ItemsTable({ items, total, page, onPageChange, pageSize = 50, maxColumns = 30, className, onHeaderDragStart }: ItemsTableProps) {
  const [localPage, setLocalPage] = useState(0)
  const serverPaged = onPageChange !== undefined
  const current = serverPaged ? (page ?? 0) : localPage
  const rows = serverPaged ? items : items.slice(current * pageSize, (current + 1) * pageSize)
  const count = serverPaged ? (total ?? items.length) : items.length
  const columns = useMemo(() => {
    const keys = new Set<string>()
    for (const row of rows) for (const k of Object.keys(row ?? {})) keys.add(k)
    return [...keys].slice(0, maxColumns)
  }, [rows, maxColumns])

  if (count === 0) return <p className="p-3 text-sm text-muted">No items.</p>
  const offset = current * pageSize
  return (
    <div className={cn('flex flex-col gap-2', className)}>
      <div className="overflow-auto rounded-md border border-line">
        <table className="w-full border-collapse text-xs" data-testid="items-table">
          <thead className="sticky top-0 bg-panel-2 text-left text-muted">
            <tr>
              <th scope="col" className="w-10 px-2 py-1.5 font-medium">#</th>
              {columns.map((c) => (
                <th key={c} scope="col" className={cn('whitespace-nowrap px-2 py-1.5 font-medium', onHeaderDragStart && 'cursor-grab hover:text-accent')}
                  draggable={onHeaderDragStart ? true : undefined} onDragStart={onHeaderDragStart && ((e) => onHeaderDragStart(c, e))} data-field={onHeaderDragStart ? c : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-line font-mono">
            {rows.map((row, i) => (
              <tr key={offset + i}>
                <td className="px-2 py-1 text-muted">{offset + i + 1}</td>
                {columns.map((c) => {
                  const v = row?.[c]
                  return isFileRef(v) ? (
                    <td key={c} className="max-w-96 px-2 py-1 align-top">
                      <FileChip file={v} />
                    </td>
                  ) : (
                    <td key={c} className="max-w-64 truncate px-2 py-1" title={cell(v, 2000)}>
                      {cell(v, 200)}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={current} pageSize={pageSize} total={count} onPage={serverPaged ? onPageChange : setLocalPage} />
    </div>
  )
}

function cell(v: unknown, max: number): string {
  if (v === undefined) return ''
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)
  return s.length > max ? `${s.slice(0, max)}…` : s
}
