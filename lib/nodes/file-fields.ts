// Shared by the nodes that read or write files in item fields: how a value is described in errors, and the file
// store's errors restated with the item and the parameter they came from. Server-only (used by executors).
import { NodeError } from '../engine/types'
import { ownValue } from '../engine/safe-keys'
import { parsePath } from './paths'
import type { Item } from '../engine/types'

/** "missing", "null", "a list", "a number"…: what a field holds, for error messages. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return `a ${typeof value}`
}

/** A copy of `item` that can take `paths` set or removed without touching the input: nested paths clone deeply. */
export function copyForPaths(item: Item, paths: { path: string; field: string }[]): Item {
  return paths.some((p) => parsePath(p.path, p.field).length > 1) ? structuredClone(item) : { ...item }
}

/** Removes `path` from `item` in place (own properties only; a missing path is left alone). */
export function deletePath(item: Item, path: string, field: string): void {
  const segments = parsePath(path, field)
  const last = segments.pop()!
  let parent: unknown = item
  for (const seg of segments) parent = ownValue(parent, seg)
  if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last)) delete (parent as Record<string | number, unknown>)[last]
}

/** The file store's errors (NOT_A_FILE, FILE_NOT_FOUND, FILE_TOO_LARGE…) with the item index and the node's parameter. */
export function fileError(err: unknown, field: string, index: number, hint = ''): unknown {
  if (!(err instanceof NodeError)) return err
  return new NodeError(`${err.message} (item ${index})${hint}`, {
    code: err.code,
    retryable: err.retryable,
    field,
    details: { item: index, ...(typeof err.details === 'object' && err.details !== null ? err.details : {}) },
    cause: err,
  })
}
