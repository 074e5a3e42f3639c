// Dot paths into items: `customer.address.city`, `lines[0].sku`. Server and browser safe.
// Paths are user text, so they never name or pass through a prototype (see engine/safe-keys).
import { isReservedKey, isWritableContainer, ownValue, reservedKeyError } from '../engine/safe-keys'
import { NodeError } from '../engine/types'

/** `field` is the param the path came from, named in the NodeError a bad path raises. */
export function parsePath(path: string, field = 'path'): (string | number)[] {
  const segments: (string | number)[] = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1])
  if (segments.length === 0) throw new NodeError(`"${path}" is not a field path`, { code: 'INVALID_PARAM', field })
  for (const s of segments) if (isReservedKey(s)) throw reservedKeyError(String(s), `"${path}"`, field)
  return segments
}

/** Own properties only: inherited members (`toString`, a prototype) are not item data. */
export function getPath(value: unknown, path: string, field?: string): unknown {
  let cur: unknown = value
  for (const seg of parsePath(path, field)) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = ownValue(cur, seg)
  }
  return cur
}

/** Sets `path` on `target` in place, creating objects (or arrays before an index) on the way. Only descends
 * into plain objects and arrays the item owns, so a value that is (or leads to) a host object is replaced,
 * never written through. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown, field?: string): void {
  const segments = parsePath(path, field)
  let cur: Record<string | number, unknown> = target
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]
    const next = ownValue(cur, seg)
    if (!isWritableContainer(next)) cur[seg] = typeof segments[i + 1] === 'number' ? [] : {}
    cur = cur[seg] as Record<string | number, unknown>
  }
  cur[segments[segments.length - 1]] = value
}
