// `{{ … }}` expressions in node params. Pure: evaluation goes through the injected sandbox, except trivial
// property paths ($json.a.b, $trigger.x, $itemIndex) which are plain data access and skip the isolate.
import { NodeError, type CodeRunner, type Item } from './types'
import { isReservedKey, ownValue, reservedKeyError } from './safe-keys'

export interface NodeOutputRef {
  json: Item | undefined
  items: Item[]
}

/** What an expression can see. Everything is lazy: only what the expression text references is copied. */
export interface ExpressionData {
  item: Item | undefined
  itemIndex: number
  inputItems(): Item[]
  trigger(): Promise<Item | undefined>
  /** Throws a NodeError naming the node when it is unknown or has not run. */
  nodeOutput(name: string): Promise<NodeOutputRef>
  /** Outputs of every node that has run (for expressions that compute node names dynamically). */
  allNodeOutputs(): Promise<Record<string, NodeOutputRef>>
  execution: { id: string; workflowId: string }
  sandbox: CodeRunner
}

type Segment = { text: string } | { expr: string; analysis: Analysis }

interface Analysis {
  usesInput: boolean
  usesTrigger: boolean
  usesNow: boolean
  usesExecution: boolean
  /** Node names referenced literally; null when an expression computes names (then every output is copied). */
  nodeNames: string[] | null
  /** Set for plain property paths that need no sandbox. */
  fastPath: { root: '$json' | '$trigger' | '$itemIndex'; keys: string[] } | null
}

const templateCache = new Map<string, Segment[] | null>()
const CACHE_LIMIT = 5000

/** Deep check: does this param value hold any expression? */
export function hasExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{')
  if (Array.isArray(value)) return value.some(hasExpression)
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression)
  return false
}

/** Resolves every expression inside params (strings nested in objects and arrays too). */
export async function resolveParams(params: Record<string, unknown>, data: ExpressionData): Promise<Record<string, unknown>> {
  return (await resolveValue(params, data, 'params')) as Record<string, unknown>
}

export async function resolveValue(value: unknown, data: ExpressionData, path: string): Promise<unknown> {
  if (typeof value === 'string') return value.includes('{{') ? evaluateTemplate(value, data, path) : value
  if (Array.isArray(value)) {
    const out: unknown[] = []
    for (let i = 0; i < value.length; i++) out.push(await resolveValue(value[i], data, `${path}.${i}`))
    return out
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      // An own `__proto__` key (JSON.parse makes those) assigned with `=` would swap out's prototype.
      if (isReservedKey(k)) throw reservedKeyError(k, `Parameter ${path}.${k}`, `${path}.${k}`.replace(/^params\.?/, ''))
      out[k] = await resolveValue(v, data, `${path}.${k}`)
    }
    return out
  }
  return value
}

/** A string that is exactly one `{{ expr }}` keeps the value's type; mixed text interpolates. */
export async function evaluateTemplate(template: string, data: ExpressionData, path = 'value'): Promise<unknown> {
  const segments = parseTemplate(template)
  if (!segments) return template
  if (segments.length === 1 && 'expr' in segments[0]) return evaluate(segments[0], data, path)
  let out = ''
  for (const seg of segments) {
    if ('text' in seg) out += seg.text
    else out += stringify(await evaluate(seg, data, path))
  }
  return out
}

function stringify(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

export function parseTemplate(template: string): Segment[] | null {
  const cached = templateCache.get(template)
  if (cached !== undefined) return cached
  const segments: Segment[] = []
  let pos = 0
  while (pos < template.length) {
    const open = template.indexOf('{{', pos)
    if (open < 0) break
    const close = template.indexOf('}}', open + 2)
    if (close < 0) break
    if (open > pos) segments.push({ text: template.slice(pos, open) })
    const expr = template.slice(open + 2, close).trim()
    segments.push(expr ? { expr, analysis: analyse(expr) } : { text: '' })
    pos = close + 2
  }
  if (pos < template.length) segments.push({ text: template.slice(pos) })
  const result = segments.some((s) => 'expr' in s) ? segments : null
  if (templateCache.size >= CACHE_LIMIT) templateCache.clear()
  templateCache.set(template, result)
  return result
}

const IDENT = '[A-Za-z_$][\\w$]*'
const FAST_PATH = new RegExp(`^(\\$json|\\$trigger|\\$itemIndex)((?:\\.${IDENT}|\\[\\d+\\]|\\[(?:'[^'\\\\]*'|"[^"\\\\]*")\\])*)$`)
const PATH_PART = new RegExp(`\\.(${IDENT})|\\[(\\d+)\\]|\\['([^'\\\\]*)'\\]|\\["([^"\\\\]*)"\\]`, 'g')

function analyse(expr: string): Analysis {
  const fast = FAST_PATH.exec(expr)
  let fastPath: Analysis['fastPath'] = null
  if (fast && !(fast[1] === '$itemIndex' && fast[2])) {
    const keys: string[] = []
    for (const m of fast[2].matchAll(PATH_PART)) keys.push(m[1] ?? m[2] ?? m[3] ?? m[4])
    fastPath = { root: fast[1] as '$json' | '$trigger' | '$itemIndex', keys }
  }
  let nodeNames: string[] | null = []
  const usesNode = /\$node\b|\$\(/.test(expr)
  if (usesNode) {
    const names = new Set<string>()
    let literal = 0
    for (const m of expr.matchAll(/\$node\s*\[\s*(['"`])((?:(?!\1)[^\\])*)\1\s*\]|\$\(\s*(['"`])((?:(?!\3)[^\\])*)\3\s*\)|\$node\.([A-Za-z_$][\w$]*)/g)) {
      names.add(m[2] ?? m[4] ?? m[5])
      literal++
    }
    const mentions = (expr.match(/\$node\b|\$\(/g) ?? []).length
    nodeNames = literal === mentions ? [...names] : null
  }
  return {
    usesInput: /\$input\b/.test(expr),
    usesTrigger: /\$trigger\b/.test(expr),
    usesNow: /\$now\b/.test(expr),
    usesExecution: /\$execution\b/.test(expr),
    nodeNames,
    fastPath,
  }
}

async function evaluate(seg: { expr: string; analysis: Analysis }, data: ExpressionData, path: string): Promise<unknown> {
  const { expr, analysis } = seg
  try {
    if (analysis.fastPath) return await walk(analysis.fastPath, data)
    return await data.sandbox.evaluateExpression(await wrap(expr, analysis), await buildScope(analysis, data))
  } catch (err) {
    const e = err instanceof NodeError ? err : new NodeError(err instanceof Error ? err.message : String(err), { code: 'EXPRESSION_ERROR' })
    const field = path.replace(/^params\.?/, '')
    throw new NodeError(`Expression {{ ${expr} }} in ${path}: ${e.message}`, { code: e.code, retryable: false, field, cause: err })
  }
}

/** The fast path reads host objects directly, so it follows own data properties only: never a prototype. */
async function walk(fast: NonNullable<Analysis['fastPath']>, data: ExpressionData): Promise<unknown> {
  let cur: unknown = fast.root === '$json' ? data.item : fast.root === '$trigger' ? await data.trigger() : data.itemIndex
  for (const key of fast.keys) {
    if (isReservedKey(key)) throw reservedKeyError(key, 'The path', '')
    if (cur === null || cur === undefined) throw new NodeError(`Cannot read properties of ${cur} (reading '${key}')`, { code: 'EXPRESSION_ERROR' })
    cur = ownValue(cur, key)
  }
  return cur
}

/** Helpers ($input.first(), $("Name")) are defined inside the isolate; only plain data crosses over. */
async function wrap(expr: string, a: Analysis): Promise<string> {
  const helpers: string[] = []
  if (a.usesInput) {
    helpers.push('const $input = { items: __input, all: () => __input, first: () => __input[0], last: () => __input[__input.length - 1], item: $json };')
  }
  if (a.nodeNames === null || a.nodeNames.length > 0) {
    helpers.push(
      'const $ = (name) => { if (!Object.prototype.hasOwnProperty.call($node, name)) throw new Error(`No output from node "${name}" (unknown node, or it has not run)`); return $node[name]; };',
    )
  }
  if (helpers.length === 0) return expr
  return `(() => { ${helpers.join(' ')} return (${expr}\n); })()`
}

async function buildScope(a: Analysis, data: ExpressionData): Promise<Record<string, unknown>> {
  const scope: Record<string, unknown> = { $json: data.item ?? {}, $itemIndex: data.itemIndex }
  if (a.usesInput) scope.__input = data.inputItems()
  if (a.usesTrigger) scope.$trigger = (await data.trigger()) ?? {}
  if (a.usesNow) scope.$now = new Date().toISOString()
  if (a.usesExecution) scope.$execution = data.execution
  if (a.nodeNames === null) scope.$node = await data.allNodeOutputs()
  else if (a.nodeNames.length > 0) {
    const nodes: [string, NodeOutputRef][] = []
    for (const name of a.nodeNames) nodes.push([name, await data.nodeOutput(name)])
    scope.$node = Object.fromEntries(nodes)
  }
  return scope
}
