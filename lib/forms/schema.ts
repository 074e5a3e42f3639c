// JSON Schema (z.toJSONSchema of a node's params, with `ui` meta hints) → field descriptors the inspector renders.
// Pure and browser-safe; tested in tests/unit/forms.
//
// Labels people read come from the schema: a field's `title` (zod `.meta({ title: 'Memory (MB)' })`, else
// humanize(key)), an enum's `optionLabels` (`.meta({ optionLabels: { gt: 'is greater than' } })`) and a literal
// union member's `title`. tests/unit/nodes/labels.test.ts holds every node type to them.
import { humanize } from '../engine/param-words'

export { humanize }

export type JsonSchema = {
  type?: string | string[]
  title?: string
  description?: string
  default?: unknown
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  additionalProperties?: boolean | JsonSchema
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  format?: string
  ui?: UiHint
  /** Human labels of an enum's values (zod `.meta({ optionLabels })`); the inspector and the node reference show them. */
  optionLabels?: Record<string, string>
  [k: string]: unknown
}

export type UiWidget = 'code' | 'json' | 'keyValue' | 'textarea' | 'credential' | 'expression' | 'password' | 'workflow' | 'aiModel' | 'collection' | 'nodeType'
/** A `ui` meta hint: a widget name, or an object with options. */
export type UiHint = UiWidget | { widget?: UiWidget; language?: string; rows?: number; placeholder?: string; showIf?: Record<string, unknown[]> }

export type FieldKind = 'text' | 'textarea' | 'password' | 'number' | 'boolean' | 'enum' | 'json' | 'keyValue' | 'code' | 'credential' | 'expression' | 'list' | 'object' | 'workflow' | 'aiModel' | 'collection' | 'nodeType'

export interface FieldDescriptor {
  key: string
  /** Dotted path from the params root (nested objects). */
  path: string[]
  label: string
  description?: string
  kind: FieldKind
  required: boolean
  default?: unknown
  options?: { value: string; label: string }[]
  min?: number
  max?: number
  integer?: boolean
  language?: string
  rows?: number
  placeholder?: string
  credentialKinds?: string[]
  /** For 'aiModel': which deployments and routes the picker offers (`.meta({ ui: 'aiModel', modelKind: 'embedding' })`). */
  modelKind?: 'chat' | 'embedding'
  /** Only shown when other fields (siblings) hold one of these values. */
  showIf?: Record<string, unknown[]>
  /** For 'object': nested fields. For 'list': the item descriptor (key '*'). */
  children?: FieldDescriptor[]
  item?: FieldDescriptor
}

export interface DescribeOptions {
  /** The param that holds a credential id (from the node type), and its accepted kinds. */
  credential?: { param: string; kinds: string[] }
}

const hintOf = (s: JsonSchema): Exclude<UiHint, string> => (typeof s.ui === 'string' ? { widget: s.ui } : s.ui ?? {})

/** "Categories" → "Category", "Rules" → "Rule": the label of one row of a list. */
const singular = (label: string) => label.replace(/ies$/, 'y').replace(/s$/, '')

/** Drops `null` alternatives (nullable) and unwraps single-branch unions. */
function unwrap(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const alts = s.anyOf ?? s.oneOf
  if (!alts) return { schema: s, nullable: false }
  const nonNull = alts.filter((a) => a.type !== 'null')
  if (nonNull.length === 1) {
    const { anyOf: _a, oneOf: _o, ...rest } = s
    return { schema: { ...nonNull[0], ...rest, ui: s.ui ?? nonNull[0].ui }, nullable: nonNull.length !== alts.length }
  }
  return { schema: s, nullable: nonNull.length !== alts.length }
}

/** An enum's options with their labels: `optionLabels`, a union member's `title`, else the value itself. */
export function enumOptions(s: JsonSchema): { value: string; label: string }[] | null {
  const labelOf = (v: string, title?: string) => title ?? s.optionLabels?.[v] ?? v
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return (s.enum as string[]).map((v) => ({ value: v, label: labelOf(v) }))
  const alts = s.anyOf ?? s.oneOf
  if (alts && alts.length > 0 && alts.every((a) => typeof a.const === 'string')) {
    return alts.map((a) => ({ value: a.const as string, label: labelOf(a.const as string, a.title) }))
  }
  return null
}

function isKeyValueArray(s: JsonSchema): boolean {
  const props = s.items?.properties
  if (!props) return false
  const keys = Object.keys(props).sort().join(',')
  return keys === 'name,value' || keys === 'key,value'
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null')
  return s.type
}

export function describeField(key: string, raw: JsonSchema, required: boolean, path: string[], opts: DescribeOptions = {}): FieldDescriptor {
  const { schema: s } = unwrap(raw)
  const hint = hintOf(s)
  const base: FieldDescriptor = {
    key,
    path,
    label: s.title ?? humanize(key),
    description: s.description,
    kind: 'json',
    required,
    default: s.default,
    ...(hint.rows ? { rows: hint.rows } : {}),
    ...(hint.placeholder ? { placeholder: hint.placeholder } : {}),
    ...(hint.showIf ? { showIf: hint.showIf } : {}),
  }
  if (opts.credential?.param === key && path.length === 1) return { ...base, kind: 'credential', credentialKinds: opts.credential.kinds }
  switch (hint.widget) {
    case 'credential':
      return { ...base, kind: 'credential', credentialKinds: opts.credential?.kinds ?? [] }
    case 'code':
      return { ...base, kind: 'code', language: hint.language ?? 'javascript' }
    case 'json':
      return { ...base, kind: 'json' }
    case 'textarea':
      return { ...base, kind: 'textarea' }
    case 'password':
      return { ...base, kind: 'password' }
    case 'expression':
      return { ...base, kind: 'expression' }
    case 'keyValue':
      return { ...base, kind: 'keyValue', default: s.default ?? [] }
    case 'workflow':
      return { ...base, kind: 'workflow' }
    case 'collection':
      return { ...base, kind: 'collection' }
    case 'nodeType':
      return { ...base, kind: 'nodeType' }
    case 'aiModel':
      return { ...base, kind: 'aiModel', modelKind: s.modelKind === 'embedding' ? 'embedding' : 'chat' }
  }
  const options = enumOptions(s)
  if (options) return { ...base, kind: 'enum', options }
  const t = typeOf(s)
  if (t === 'string') return { ...base, kind: (s.maxLength ?? 0) > 500 ? 'textarea' : 'text' }
  if (t === 'number' || t === 'integer') {
    return {
      ...base,
      kind: 'number',
      integer: t === 'integer',
      min: s.minimum ?? s.exclusiveMinimum,
      max: s.maximum ?? s.exclusiveMaximum,
    }
  }
  if (t === 'boolean') return { ...base, kind: 'boolean' }
  if (t === 'array') {
    if (isKeyValueArray(s)) return { ...base, kind: 'keyValue' }
    if (s.items && ['string', 'number', 'integer'].includes(typeOf(s.items) ?? '') && !enumOptions(s.items)) {
      return { ...base, kind: 'list', item: describeField('*', s.items, false, [...path, '*'], opts) }
    }
    if (s.items && typeOf(s.items) === 'object' && s.items.properties) {
      return { ...base, kind: 'list', item: { ...describeField('*', s.items, false, [...path, '*'], opts), label: s.items.title ?? singular(humanize(key)) } }
    }
    return base
  }
  if (t === 'object') {
    if (s.properties && Object.keys(s.properties).length > 0) return { ...base, kind: 'object', children: describeObject(s, path, opts) }
    return base
  }
  return base
}

function describeObject(s: JsonSchema, path: string[], opts: DescribeOptions): FieldDescriptor[] {
  const req = new Set(s.required ?? [])
  const fields = Object.entries(s.properties ?? {}).map(([k, child]) => describeField(k, child, req.has(k) && child.default === undefined, [...path, k], opts))
  return fields.map((f) => (f.showIf ? f : inferShowIf(f, fields)))
}

/**
 * Node schemas describe conditional fields in prose: "bodyType json: the body…" or "rules mode: one output per
 * rule". When the prefix names a sibling enum and its values, the field is shown only for those values.
 */
function inferShowIf(f: FieldDescriptor, siblings: FieldDescriptor[]): FieldDescriptor {
  const m = /^\s*([A-Za-z][\w]*) ([\w-]+(?:(?:\s*[/,]\s*|\s+or\s+)[\w-]+)*):\s*/.exec(f.description ?? '')
  if (!m) return f
  const values = m[2].split(/\s*[/,]\s*|\s+or\s+/)
  const direct = siblings.find((x) => x.key === m[1] && x.kind === 'enum')
  const [enumField, allowed] =
    direct ? [direct, values] : m[2] === 'mode' ? [siblings.find((x) => x.key === 'mode' && x.kind === 'enum'), [m[1]]] : [undefined, []]
  if (!enumField || !allowed.every((v) => enumField.options?.some((o) => o.value === v))) return f
  const rest = f.description!.slice(m[0].length)
  return { ...f, showIf: { [enumField.key]: allowed }, description: rest ? rest[0].toUpperCase() + rest.slice(1) : undefined }
}

/** The form for a node's params schema. */
export function describeParams(schema: JsonSchema | undefined, opts: DescribeOptions = {}): FieldDescriptor[] {
  if (!schema) return []
  const { schema: s } = unwrap(schema)
  return describeObject(s, [], opts)
}

/** Whether `field` is visible given the sibling values. */
export function isVisible(field: FieldDescriptor, values: Record<string, unknown>): boolean {
  if (!field.showIf) return true
  return Object.entries(field.showIf).every(([k, allowed]) => allowed.includes(values[k]))
}

/** Initial params for a new node: every field's default. */
export function defaultParams(fields: FieldDescriptor[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    if (f.default !== undefined) out[f.key] = structuredClone(f.default)
    else if (f.kind === 'object' && f.children) {
      const nested = defaultParams(f.children)
      if (Object.keys(nested).length) out[f.key] = nested
    }
  }
  return out
}
