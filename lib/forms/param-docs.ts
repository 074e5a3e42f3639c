// A node type's params as reference rows (name, type, default, description), for the generated docs/nodes.md and
// the inspector's Docs tab. Built on describeParams so both say what the Parameters form shows.
import { describeParams, type FieldDescriptor, type JsonSchema } from './schema'

export interface ParamDoc {
  /** Path as a user writes it: `fields[].name` for a field of a list's rows, `options.model` for a nested one. */
  name: string
  /** The label the inspector shows for the field. */
  label: string
  type: string
  required: boolean
  /** The default as JSON text; absent when there is none. */
  default?: string
  description: string
  /** "Only when `mode` is `rules`": the condition the form shows the field under. */
  condition?: string
}

const KIND_TYPE: Record<string, string> = {
  text: 'text', textarea: 'text', password: 'secret text', expression: 'any value', json: 'JSON', keyValue: 'name/value rows',
  code: 'code', credential: 'credential', object: 'object', boolean: 'boolean', workflow: 'workflow id', aiModel: 'AI deployment or route name', collection: 'collection name', nodeType: 'node type',
}

/** An option as the reference writes it: its value, then its label when that says more ("`gt` “is greater than”"). */
const optionText = (o: { value: string; label: string }) => (o.label === o.value ? `\`${o.value}\`` : `\`${o.value}\` “${o.label}”`)

function typeOf(f: FieldDescriptor): string {
  if (f.kind === 'enum') return `one of ${f.options!.map(optionText).join(', ')}`
  if (f.kind === 'number') {
    const range = f.min !== undefined && f.max !== undefined ? ` ${f.min}–${f.max}` : f.min !== undefined ? ` ≥ ${f.min}` : f.max !== undefined ? ` ≤ ${f.max}` : ''
    return `${f.integer ? 'whole number' : 'number'}${range}`
  }
  if (f.kind === 'code') return `${f.language ?? 'javascript'} code`
  if (f.kind === 'list') return f.item?.kind === 'object' ? 'list of rows' : `list of ${typeOf(f.item!)}`
  return KIND_TYPE[f.kind] ?? f.kind
}

function conditionOf(f: FieldDescriptor, siblings: FieldDescriptor[]): string | undefined {
  if (!f.showIf) return undefined
  const valueText = (key: string, v: unknown) => {
    const option = siblings.find((s) => s.key === key)?.options?.find((o) => o.value === v)
    return option ? optionText(option) : `\`${String(v)}\``
  }
  return `Only when ${Object.entries(f.showIf).map(([k, vs]) => `\`${k}\` is ${vs.map((v) => valueText(k, v)).join(' or ')}`).join(' and ')}.`
}

function rows(fields: FieldDescriptor[], prefix: string): ParamDoc[] {
  return fields.flatMap((f) => {
    const name = prefix + f.key
    const condition = conditionOf(f, fields)
    const row: ParamDoc = {
      name,
      label: f.label,
      type: typeOf(f),
      required: f.required,
      ...(f.default !== undefined ? { default: JSON.stringify(f.default) } : {}),
      description: f.description ?? '',
      ...(condition ? { condition } : {}),
    }
    const nested = f.kind === 'object' ? rows(f.children ?? [], `${name}.`) : f.kind === 'list' && f.item?.kind === 'object' ? rows(f.item.children ?? [], `${name}[].`) : []
    return [row, ...nested]
  })
}

/** Reference rows for a node type's params (its catalogue JSON Schema), nested fields after their parent. */
export function paramDocs(schema: JsonSchema | undefined, credential?: { param: string; kinds: readonly string[] }): ParamDoc[] {
  return rows(describeParams(schema, credential ? { credential: { param: credential.param, kinds: [...credential.kinds] } } : {}), '')
}
