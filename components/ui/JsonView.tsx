'use client'
import { useState, type DragEvent } from 'react'
import { ChevronDown, ChevronRight } from 'lucide-react'
import { isFileRef } from '@/lib/files/ref'
import { cn } from './cn'
import { FileChip } from './FileChip'

export interface JsonViewProps {
  value: unknown
  /** Levels open at first; deeper levels start collapsed. */
  openDepth?: number
  /** Children shown per "page" of a big array or object; the rest behind "Show more". */
  chunkSize?: number
  className?: string
  /** Makes the keys draggable; `path` runs from the root value ("0", "name" for the first item's name). */
  onKeyDragStart?: (path: string[], e: DragEvent) => void
}

/**
 * A collapsible JSON tree that stays responsive on big outputs: collapsed branches render nothing,
 * and arrays/objects render `chunkSize` children at a time. A file reference is shown as a file (FileChip).
 */
export function JsonView({ value, openDepth = 2, chunkSize = 100, className, onKeyDragStart }: JsonViewProps) {
  return (
    <div className={cn('overflow-auto font-mono text-xs leading-5', className)} data-testid="json-view">
      <JsonNode value={value} depth={0} openDepth={openDepth} chunkSize={chunkSize} path={[]} drag={onKeyDragStart} />
    </div>
  )
}

type KeyDrag = JsonViewProps['onKeyDragStart']

function JsonNode({ name, value, depth, openDepth, chunkSize, path, drag }: { name?: string; value: unknown; depth: number; openDepth: number; chunkSize: number; path: string[]; drag?: KeyDrag }) {
  const isArray = Array.isArray(value)
  const isObject = value !== null && typeof value === 'object'
  const [open, setOpen] = useState(depth < openDepth)
  const [shown, setShown] = useState(chunkSize)
  const label = name !== undefined && (
    <span className={cn('text-accent', drag && 'cursor-grab')} draggable={drag ? true : undefined} onDragStart={drag && ((e) => { e.stopPropagation(); drag(path, e) })} data-json-key={drag ? path.join('.') : undefined}>
      {name}:{' '}
    </span>
  )

  if (isFileRef(value)) {
    return (
      <div style={{ paddingLeft: depth ? 14 : 0 }} className="flex items-start gap-1 py-0.5">
        {label}
        <FileChip file={value} />
      </div>
    )
  }
  if (!isObject) {
    return (
      <div style={{ paddingLeft: depth ? 14 : 0 }} className="break-all whitespace-pre-wrap">
        {label}
        <Scalar value={value} />
      </div>
    )
  }
  const entries: Array<[string, unknown]> = isArray ? (value as unknown[]).map((v, i) => [String(i), v]) : Object.entries(value as object)
  const summary = isArray ? `Array(${entries.length})` : `{${entries.length} ${entries.length === 1 ? 'key' : 'keys'}}`
  return (
    <div style={{ paddingLeft: depth ? 14 : 0 }}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="inline-flex items-center gap-0.5 rounded hover:bg-panel-2">
        {open ? <ChevronDown className="size-3" /> : <ChevronRight className="size-3" />}
        {label}
        <span className="text-muted">{summary}</span>
      </button>
      {open && (
        <>
          {entries.slice(0, shown).map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} chunkSize={chunkSize} path={[...path, k]} drag={drag} />
          ))}
          {entries.length > shown && (
            <button type="button" onClick={() => setShown(shown + chunkSize)} className="ml-3.5 text-accent hover:underline">
              Show {Math.min(chunkSize, entries.length - shown)} more of {entries.length - shown} remaining
            </button>
          )}
        </>
      )}
    </div>
  )
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="text-ok">&quot;{value}&quot;</span>
  if (typeof value === 'number' || typeof value === 'bigint') return <span className="text-warn">{String(value)}</span>
  if (typeof value === 'boolean') return <span className="text-accent">{String(value)}</span>
  if (value === undefined) return <span className="text-muted">undefined</span>
  return <span className="text-muted">null</span>
}
