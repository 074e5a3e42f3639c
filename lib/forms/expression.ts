// Expression mode helpers for the inspector: detection, mode switching, autocomplete and a live preview.
// The preview only resolves plain paths ($json.a.b, $node["Name"].json.c) here in the browser; anything
// computed is evaluated by the engine's sandbox at run time (never eval in the page).
import { ownValue } from '../engine/safe-keys'

export const EXPRESSION_RE = /\{\{([\s\S]*?)\}\}/g

export function isExpression(v: unknown): v is string {
  return typeof v === 'string' && /\{\{[\s\S]*?\}\}/.test(v)
}

/** Value to store when the user switches a field to expression mode. */
export function toExpressionValue(v: unknown): string {
  if (v === undefined || v === null || v === '') return '{{  }}'
  if (typeof v === 'string') return isExpression(v) ? v : v
  return `{{ ${JSON.stringify(v)} }}`
}

/** Value to store when the user switches back to a fixed value: a single literal `{{ 42 }}` becomes 42. */
export function fromExpressionValue(v: unknown, fallback: unknown): unknown {
  if (typeof v !== 'string') return v ?? fallback
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(v)
  if (!m) return isExpression(v) ? fallback : v
  try {
    return JSON.parse(m[1])
  } catch {
    return fallback
  }
}

export interface UpstreamSample {
  /** Node name as expressions refer to it. */
  name: string
  /** First output item of its last run, if known. */
  item: Record<string, unknown> | null
  /** Whether this node feeds the current one directly (its fields are `$json.*`). */
  direct: boolean
}

export interface Suggestion {
  label: string
  insert: string
  detail: string
}

/** Flattened field paths of an item, three levels deep, arrays by first element. */
export function fieldPaths(value: unknown, prefix = '', depth = 0): { path: string; value: unknown }[] {
  if (depth > 3 || value === null || typeof value !== 'object') return []
  const out: { path: string; value: unknown }[] = []
  if (Array.isArray(value)) {
    if (value.length) {
      const p = `${prefix}[0]`
      out.push({ path: p, value: value[0] }, ...fieldPaths(value[0], p, depth + 1))
    }
    return out
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100)) {
    const p = /^[A-Za-z_$][\w$]*$/.test(k) ? (prefix ? `${prefix}.${k}` : k) : `${prefix}[${JSON.stringify(k)}]`
    out.push({ path: p, value: v }, ...fieldPaths(v, p, depth + 1))
  }
  return out
}

const short = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)
  return s.length > 40 ? `${s.slice(0, 39)}…` : s
}

const join = (base: string, path: string) => (path.startsWith('[') ? `${base}${path}` : `${base}.${path}`)

export function buildSuggestions(upstream: UpstreamSample[]): Suggestion[] {
  const out: Suggestion[] = []
  for (const u of upstream) {
    const base = u.direct ? '$json' : `$node[${JSON.stringify(u.name)}].json`
    if (!u.direct) out.push({ label: base, insert: base, detail: `output of ${u.name}` })
    for (const f of fieldPaths(u.item)) out.push({ label: join(base, f.path), insert: join(base, f.path), detail: `${u.name}: ${short(f.value)}` })
  }
  out.push(
    { label: '$json', insert: '$json', detail: 'current item' },
    { label: '$trigger', insert: '$trigger', detail: 'the item the run started with' },
    { label: '$itemIndex', insert: '$itemIndex', detail: 'index of the current item' },
    { label: '$input.all()', insert: '$input.all()', detail: 'every input item' },
    { label: '$now', insert: '$now', detail: 'current time (ISO)' },
  )
  return out
}

/** The partial token being typed at `cursor` inside `{{ … }}`, if any. */
export function tokenAt(text: string, cursor: number): { start: number; token: string } | null {
  const before = text.slice(0, cursor)
  const open = before.lastIndexOf('{{')
  if (open < 0 || before.lastIndexOf('}}') > open) return null
  const m = /[$\w.[\]"'-]*$/.exec(before)
  if (!m) return null
  return { start: cursor - m[0].length, token: m[0] }
}

export function filterSuggestions(all: Suggestion[], token: string, limit = 12): Suggestion[] {
  const t = token.toLowerCase()
  const starts = all.filter((s) => s.insert.toLowerCase().startsWith(t))
  const contains = all.filter((s) => !s.insert.toLowerCase().startsWith(t) && s.insert.toLowerCase().includes(t))
  return [...starts, ...contains].slice(0, limit)
}

export interface PreviewScope {
  $json: Record<string, unknown> | null
  $node: Record<string, { json: Record<string, unknown> | null }>
}

const PATH_RE = /^\$(json|node\[("(?:[^"\\]|\\.)*"|'[^']*')\]\.json)((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*)$/

function resolvePath(expr: string, scope: PreviewScope): { ok: true; value: unknown } | { ok: false } {
  const e = expr.trim()
  if (e === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(e) }
  } catch {
    /* not a literal */
  }
  const m = PATH_RE.exec(e)
  if (!m) return { ok: false }
  // Own properties only, as on the server: the preview never shows (or hands on) a prototype.
  let cur: unknown = m[1] === 'json' ? scope.$json : (ownValue(scope.$node, JSON.parse(m[2].replace(/^'|'$/g, '"'))) as { json?: unknown } | undefined)?.json
  for (const seg of m[3].matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    const key = seg[1] ?? (seg[2] !== undefined ? Number(seg[2]) : JSON.parse(seg[3]))
    if (cur === null || typeof cur !== 'object') return { ok: true, value: undefined }
    cur = ownValue(cur, key)
  }
  return { ok: true, value: cur }
}

export type Preview = { ok: true; value: unknown } | { ok: false; reason: string }

/** Value of `template` for the first item. A lone `{{ x }}` keeps x's type; mixed text interpolates. */
export function previewExpression(template: string, scope: PreviewScope): Preview {
  const parts = [...template.matchAll(EXPRESSION_RE)]
  if (parts.length === 0) return { ok: true, value: template }
  const resolved = parts.map((p) => resolvePath(p[1], scope))
  if (resolved.some((r) => !r.ok)) return { ok: false, reason: 'Computed when the workflow runs (use "Test step" to see it).' }
  const values = resolved.map((r) => (r as { value: unknown }).value)
  if (parts.length === 1 && parts[0][0].length === template.trim().length) return { ok: true, value: values[0] }
  let i = 0
  const text = template.replace(EXPRESSION_RE, () => {
    const v = values[i++]
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  })
  return { ok: true, value: text }
}
