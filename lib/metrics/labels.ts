// Label values for the metrics, kept to small fixed sets: a label whose values grow with traffic (ids, paths, user
// text) makes a new time series each time, and a Prometheus server holding millions of them falls over. Run, step,
// and tenant ids are never label values; a workflow id is, for one counter only, capped per process (metrics.ts).

/** 2xx, 4xx…: the status as a class (the exact code is in the logs). */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other'
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

export function methodLabel(method: string): string {
  const m = method.toUpperCase()
  return METHODS.has(m) ? m : 'other'
}

/**
 * The route file's pattern for a request (`/api/workflows/[id]/run`), from its path and the params Next matched:
 * each segment that is a param's value becomes `[name]`, a catch-all's run of segments `[...name]`. Static segments
 * come from the route files, so the patterns are as many as the routes.
 */
export function routePattern(pathname: string, params: Record<string, string | string[] | undefined> | undefined): string {
  const segments = pathname.split('/').map(decodeSegment)
  if (!params) return segments.join('/') || '/'
  const out: string[] = [...segments]
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      const at = findRun(out, value)
      if (at >= 0) out.splice(at, value.length, `[...${name}]`)
    } else {
      const at = out.lastIndexOf(value)
      if (at > 0) out[at] = `[${name}]`
    }
  }
  return out.join('/') || '/'
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function findRun(segments: string[], run: string[]): number {
  if (run.length === 0) return -1
  for (let i = 1; i + run.length <= segments.length; i++) {
    if (run.every((v, j) => segments[i + j] === v)) return i
  }
  return -1
}

/**
 * Caps the distinct values one label takes in this process: past `max`, new ones are reported as `other`. A guard
 * for labels whose values come from configuration (AI models) or from paths, should they turn out unbounded.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>()
  constructor(private readonly max: number, private readonly maxLength = 80) {}

  value(raw: string | null | undefined, fallback = 'none'): string {
    if (!raw) return fallback
    const v = raw.slice(0, this.maxLength)
    if (this.seen.has(v)) return v
    if (this.seen.size >= this.max) return 'other'
    this.seen.add(v)
    return v
  }
}

/** A label taken from code-defined names (execution modes, node types): unexpected shapes become `other`. */
export function nameLabel(raw: string | null | undefined): string {
  return raw && /^[a-z0-9][a-z0-9._/-]{0,63}$/i.test(raw) ? raw : 'other'
}
