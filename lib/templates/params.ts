// Template parameters: where a graph uses them (`{{ $param.name }}`), checking the values a user gives against the
// schema, and putting them in place. Pure and browser-safe: the "Use template" form checks as the user types, the
// services check again, the worker's test runner resolves cases the same way.
//
// Resolution happens once, when a workflow is made from a template: the new workflow holds plain values, no `$param`.
//  - a string that is exactly `{{ $param.x }}` becomes the value itself (a number stays a number);
//  - `{{ $param.x }}` among other text becomes the value's text;
//  - `$param.x` inside a larger expression (`{{ $json.total * $param.rate }}`) becomes the value as a literal.
// A value may not carry `{{` or `}}`: it would become an expression in the new workflow, which can read the run's
// data and credentials (a "parameter" of `{{ $credentials… }}` is refused with an error naming it).
import type { WorkflowGraph } from '../engine/graph-schema'
import { isReservedKey } from '../engine/safe-keys'
import { ValidationError } from '../errors'
import type { TemplateParameter } from './types'

/** `$param.name` anywhere in a string (the name rule of PARAM_NAME). */
const PARAM_REF = /\$param\.([A-Za-z_][A-Za-z0-9_]*)/g
/** A whole string that is one placeholder. */
const WHOLE = /^\{\{\s*\$param\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/
/** A placeholder on its own inside text. */
const PLACEHOLDER = /\{\{\s*\$param\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g
const EXPRESSION = /\{\{([\s\S]*?)\}\}/g

export interface ParamUse {
  name: string
  nodeId: string
  nodeName: string
  /** Dotted path inside the node's params: `url`, `headers.0.value`. */
  path: string
}

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, path ? `${path}.${i}` : String(i), visit))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, path ? `${path}.${k}` : k, visit)
  }
}

/** Every `$param.x` in the graph's node params, in node order. `$param[...]` and bare `$param` are reported as unsupported uses. */
export function paramUses(graph: Pick<WorkflowGraph, 'nodes'>): { uses: ParamUse[]; unsupported: Array<Omit<ParamUse, 'name'>> } {
  const uses: ParamUse[] = []
  const unsupported: Array<Omit<ParamUse, 'name'>> = []
  for (const node of graph.nodes) {
    walkStrings(node.params, '', (text, path) => {
      if (!text.includes('$param')) return
      for (const m of text.matchAll(PARAM_REF)) uses.push({ name: m[1], nodeId: node.id, nodeName: node.name, path })
      if (/\$param(?!\.[A-Za-z_])/.test(text)) unsupported.push({ nodeId: node.id, nodeName: node.name, path })
    })
  }
  return { uses, unsupported }
}

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

/** The first string inside `value` that holds `{{` or `}}`, as a path suffix ('' for the value itself). */
function expressionInside(value: unknown, depth = 0): string | null {
  if (depth > 64) return ''
  if (typeof value === 'string') return value.includes('{{') || value.includes('}}') ? '' : null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = expressionInside(value[i], depth + 1)
      if (at !== null) return `.${i}${at}`
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isReservedKey(k)) return `.${k}`
      const at = expressionInside(v, depth + 1)
      if (at !== null) return `.${k}${at}`
    }
  }
  return null
}

/**
 * The values a workflow is made with: each declared parameter's given value or its default, checked against its
 * type and options. Unknown names, a missing required value, a wrong type and a value holding an expression are
 * 400s naming `params.<name>`. `field` prefixes the names (the API's body field).
 */
export function checkParamValues(parameters: readonly TemplateParameter[], given: Record<string, unknown>, field = 'params'): Record<string, unknown> {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw fail(field, 'must be an object of parameter values')
  const declared = new Map(parameters.map((p) => [p.name, p]))
  for (const name of Object.keys(given)) {
    if (isReservedKey(name)) throw fail(`${field}.${name}`, 'is a reserved name')
    if (!declared.has(name)) throw fail(`${field}.${name}`, `is not a parameter of this template (it has: ${[...declared.keys()].join(', ') || 'none'})`)
  }
  const out: Record<string, unknown> = {}
  for (const p of parameters) {
    const at = `${field}.${p.name}`
    const raw = Object.prototype.hasOwnProperty.call(given, p.name) ? given[p.name] : undefined
    const value = raw === undefined || raw === null || raw === '' ? p.default : raw
    if (value === undefined || value === null || value === '') {
      if (p.required) throw fail(at, 'is required')
      out[p.name] = p.type === 'boolean' ? false : p.type === 'number' ? null : p.type === 'json' ? null : ''
      continue
    }
    const inside = expressionInside(value)
    if (inside !== null) {
      throw fail(at + inside, inside.endsWith('__proto__') || inside.endsWith('constructor') || inside.endsWith('prototype')
        ? 'holds a reserved key'
        : 'may not contain an expression ({{ … }}): parameter values are plain data, and an expression here could read the run\'s data or credentials')
    }
    out[p.name] = coerce(p, value, at)
  }
  return out
}

function coerce(p: TemplateParameter, value: unknown, at: string): unknown {
  switch (p.type) {
    case 'string':
    case 'text':
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      if (typeof value !== 'string') throw fail(at, 'must be text')
      if (p.type === 'string' && value.length > 10_000) throw fail(at, 'must be at most 10,000 characters')
      if (value.length > 1_000_000) throw fail(at, 'must be at most 1,000,000 characters')
      return value
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      if (typeof n !== 'number' || !Number.isFinite(n)) throw fail(at, 'must be a number')
      return n
    }
    case 'boolean':
      if (value === 'true') return true
      if (value === 'false') return false
      if (typeof value !== 'boolean') throw fail(at, 'must be true or false')
      return value
    case 'select': {
      const options = p.options ?? []
      const hit = options.find((o) => o.value === value || String(o.value) === String(value))
      if (!hit) throw fail(at, `must be one of ${options.map((o) => JSON.stringify(o.value)).join(', ')}`)
      return hit.value
    }
    case 'json':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value)
        } catch {
          throw fail(at, 'is not valid JSON')
        }
      }
      return value
  }
}

/** JSON as a literal inside `{{ … }}`: a nested object's `}}` would end the expression early, so braces are spaced. */
function literal(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value).replace(/([{}])(?=\1)/g, '$1 ')
}

const pairs = (text: string) => (text.match(/\{\{|\}\}/g) ?? []).length

function asText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function resolveString(text: string, values: Record<string, unknown>): unknown {
  if (!text.includes('$param')) return text
  const whole = WHOLE.exec(text)
  if (whole) return values[whole[1]]
  // Placeholders alone in text first, then references inside larger expressions.
  const placed = text.replace(PLACEHOLDER, (_, name: string) => asText(values[name]))
  // No value holds `{{` or `}}`, but two side by side (`{` then `{`) could form one with the text around them.
  if (pairs(placed) > pairs(text.replace(PLACEHOLDER, ' '))) throw fail('params', 'values placed side by side would form an expression ({{ or }})')
  return placed.replace(EXPRESSION, (expr: string, body: string) =>
    body.includes('$param') ? `{{${body.replace(PARAM_REF, (_, name: string) => literal(values[name]))}}}` : expr,
  )
}

function resolveDeep(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') return resolveString(value, values)
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, values))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(v, values)
    return out
  }
  return value
}

/**
 * The graph with every `$param` use replaced by its value (values as checkParamValues returns them). Node ids,
 * names, positions and settings are kept: a workflow made from a template shares its node ids, which is what an
 * upgrade matches nodes by. Credential slots are left for fromCredentialRefs (lib/services/workflow-file.ts).
 */
export function resolveTemplateParams<G extends Pick<WorkflowGraph, 'nodes'>>(graph: G, values: Record<string, unknown>): G {
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, params: resolveDeep(n.params, values) as Record<string, unknown> })) }
}
