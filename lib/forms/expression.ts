// Expression mode helpers for the inspector: detection, mode switching and a live preview (completion:
// expression-completion.ts, lint: expression-lint.ts).
// The preview only resolves plain paths ($json.a.b, $node["Name"].json.c) here in the browser; anything
// computed is evaluated by the engine's sandbox at run time (never eval in the page).
import { ownValue } from '../engine/safe-keys'

export const EXPRESSION_RE = /\{\{([\s\S]*?)\}\}/g

export function isExpression(v: unknown): v is string {
  return typeof v === 'string' && /\{\{[\s\S]*?\}\}/.test(v)
}

/** Value to store when the user switches a field to expression mode. */
export function toExpressionValue(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  return `{{ ${JSON.stringify(v)} }}`
}

/**
 * Value to store when the user switches back to a fixed value: a single literal `{{ 42 }}` becomes 42, an expression
 * the preview can resolve becomes its value for the first item, anything else computed falls back to `fallback`.
 */
export function fromExpressionValue(v: unknown, fallback: unknown, scope?: PreviewScope): unknown {
  if (typeof v !== 'string') return v ?? fallback
  if (!isExpression(v)) return v === '' ? fallback : v
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(v)
  if (m) {
    try {
      return JSON.parse(m[1])
    } catch {
      /* not a literal */
    }
  }
  const preview = scope ? previewExpression(v, scope) : null
  return preview?.ok && preview.value !== undefined && (preview.value === null || typeof preview.value !== 'object') ? preview.value : fallback
}

export interface UpstreamSample {
  /** Node name as expressions refer to it. */
  name: string
  /** An output item: the first of its last run, else the node type's declared sample; null when unknown. */
  item: Record<string, unknown> | null
  /** Whether this node feeds the current one directly (its fields are `$json.*`). */
  direct: boolean
  /** The run's trigger (its item is `$trigger`). */
  trigger?: boolean
  /** Where `item` comes from: a run (or pinned data fed in as a run's output) or the node type's declaration. */
  source?: 'run' | 'declared'
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
