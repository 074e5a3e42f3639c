// What the node editor's Schema view shows and what a dragged field maps to: field names with types and a sample
// value (nested), and the expression that reads a field (`{{ $json.a.b }}`, `{{ $node["Name"].json.a }}`).

type Item = Record<string, unknown>

export interface SchemaField {
  key: string
  /** Keys from the item's root; array elements as "0". */
  path: string[]
  type: string
  /** The first value seen, for display. */
  sample: unknown
  children: SchemaField[]
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

/** Fields of the first `sampleSize` items merged (a key missing from the first item still shows), `maxDepth` deep. */
export function itemSchema(items: Item[], sampleSize = 50, maxDepth = 4): SchemaField[] {
  return mergeFields(items.slice(0, sampleSize), [], 0, maxDepth)
}

function mergeFields(values: unknown[], path: string[], depth: number, maxDepth: number): SchemaField[] {
  if (depth >= maxDepth) return []
  const byKey = new Map<string, unknown[]>()
  for (const v of values) {
    if (v === null || typeof v !== 'object') continue
    // Arrays: their first element stands for all (what `[0]` reads).
    const entries: [string, unknown][] = Array.isArray(v) ? (v.length ? [['0', v[0]]] : []) : Object.entries(v).slice(0, 200)
    for (const [k, child] of entries) {
      let list = byKey.get(k)
      if (!list) byKey.set(k, (list = []))
      list.push(child)
    }
  }
  return [...byKey].map(([key, seen]) => {
    const present = seen.filter((v) => v !== undefined)
    const types = [...new Set(present.map(typeOf))]
    const nonNull = types.filter((t) => t !== 'null')
    return {
      key,
      path: [...path, key],
      type: nonNull.length === 1 ? nonNull[0] : nonNull.length === 0 ? 'null' : nonNull.join(' | '),
      sample: present.find((v) => v !== null) ?? present[0],
      children: mergeFields(present, [...path, key], depth + 1, maxDepth),
    }
  })
}

const IDENT = /^[A-Za-z_$][\w$]*$/

/** `a.b[0]["first name"]` for ["a", "b", "0", "first name"]. */
export function pathExpression(path: string[]): string {
  return path.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : IDENT.test(k) ? (i === 0 ? k : `.${k}`) : `[${JSON.stringify(k)}]`)).join('')
}

/** The expression a dragged field becomes: `$json` for the node's direct input, `$node["Name"].json` for others. */
export function fieldExpression(path: string[], source: { name: string; direct: boolean }): string {
  const base = source.direct ? '$json' : `$node[${JSON.stringify(source.name)}].json`
  const rest = pathExpression(path)
  return `{{ ${rest ? (rest.startsWith('[') ? `${base}${rest}` : `${base}.${rest}`) : base} }}`
}

export function sampleText(v: unknown, max = 60): string {
  if (v === undefined) return ''
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
