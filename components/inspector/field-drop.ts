// Drag-to-map between the node editor's INPUT column and its parameter form, without touching the form's fields:
// a dragged field carries its expression under FIELD_MIME; a drop anywhere on a field finds the field by the
// `data-testid="field-<path>"` every generated field renders (lib/forms/fields/FieldControl.tsx) and sets it.
import type { DragEvent } from 'react'
import { isExpression } from '@/lib/forms/expression'

export const FIELD_MIME = 'application/x-auterity-field'

/** Kinds a mapped expression may go into (the others have their own editors: code, credentials, key/values…). */
const MAPPABLE = new Set(['text', 'textarea', 'number', 'boolean', 'enum', 'json', 'expression', 'workflow', 'password'])

export function startFieldDrag(e: DragEvent, expression: string): void {
  e.dataTransfer.setData(FIELD_MIME, expression)
  e.dataTransfer.effectAllowed = 'copy'
}

export const carriesField = (e: DragEvent) => e.dataTransfer.types.includes(FIELD_MIME)

/** The generated field under the pointer that takes a mapping: its param path (["fields", "0", "value"]). */
export function dropTarget(target: EventTarget | null): { el: HTMLElement; path: string[] } | null {
  const el = (target as HTMLElement | null)?.closest?.<HTMLElement>('[data-testid^="field-"][data-field-kind]')
  if (!el || !MAPPABLE.has(el.dataset.fieldKind ?? '')) return null
  const key = el.dataset.testid!.slice('field-'.length)
  return key ? { el, path: key.split('.') } : null
}

/** A fixed value is replaced; an expression gets the new one appended (`{{ $json.a }} {{ $json.b }}`). */
export function mappedValue(current: unknown, expression: string): string {
  return isExpression(current) ? `${current.trimEnd()} ${expression}` : expression
}

export function getIn(value: unknown, path: string[]): unknown {
  let cur = value
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return cur
}

/** A copy of `root` with `value` at `path` (arrays stay arrays; missing objects are created). */
export function setIn(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  if (Array.isArray(root)) {
    const copy = [...root]
    copy[Number(head)] = setIn(copy[Number(head)], rest, value)
    return copy
  }
  const obj = root !== null && typeof root === 'object' ? (root as Record<string, unknown>) : {}
  return { ...obj, [head]: setIn(obj[head], rest, value) }
}
