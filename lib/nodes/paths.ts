// Dot paths into items: `customer.address.city`, `lines[0].sku`. Server and browser safe.

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor'])

export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1])
  if (segments.length === 0) throw new Error(`"${path}" is not a field path`)
  for (const s of segments) if (typeof s === 'string' && FORBIDDEN.has(s)) throw new Error(`"${path}" uses the reserved name "${s}"`)
  return segments
}

export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value
  for (const seg of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[seg]
  }
  return cur
}

/** Sets `path` on `target` in place, creating objects (or arrays before an index) on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = parsePath(path)
  let cur: Record<string | number, unknown> = target
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]
    const next = cur[seg]
    if (next === null || typeof next !== 'object') cur[seg] = typeof segments[i + 1] === 'number' ? [] : {}
    cur = cur[seg] as Record<string | number, unknown>
  }
  cur[segments[segments.length - 1]] = value
}
