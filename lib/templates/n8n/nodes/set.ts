// Set (Edit Fields) → set. v1–v2: `values.{boolean,number,string}[]` + `keepOnlySet`; v3.0–3.2: `fields.values[]`
// with `<type>Value` + `include`; v3.3+: `assignments.assignments[]` + `includeOtherFields` / `include`; raw mode
// (`jsonOutput`) when it is plain JSON.
import type { SetField } from '../../../nodes/set/definition'
import { isRecord, type NodeContext, type NodeMapper } from '../context'

const TYPES: Record<string, SetField['type']> = { string: 'string', number: 'number', boolean: 'boolean', array: 'json', object: 'json' }

function v1Fields(ctx: NodeContext): SetField[] {
  const fields: SetField[] = []
  // n8n's Set v1 writes booleans, then numbers, then strings.
  for (const [kind, fallback] of [['boolean', false], ['number', 0], ['string', '']] as const) {
    for (const { path } of ctx.list(`values.${kind}`)) {
      ctx.raw(path)
      fields.push({ name: ctx.text(`${path}.name`, 'propertyName'), value: ctx.value(`${path}.value`, fallback), type: kind })
    }
  }
  ctx.raw('values')
  return fields
}

function v3Fields(ctx: NodeContext): SetField[] {
  return ctx.list('fields.values').map(({ item, path }) => {
    ctx.raw(path)
    const kind = typeof item.type === 'string' ? item.type.replace(/Value$/, '') : 'string'
    const type = TYPES[kind] ?? 'auto'
    return { name: ctx.text(`${path}.name`, ''), value: ctx.value(`${path}.${kind}Value`, ''), type }
  })
}

function assignmentFields(ctx: NodeContext): SetField[] {
  return ctx.list('assignments.assignments').map(({ item, path }) => {
    ctx.raw(path)
    const type = TYPES[typeof item.type === 'string' ? item.type : 'string'] ?? 'auto'
    return { name: ctx.text(`${path}.name`, ''), value: ctx.value(`${path}.value`, ''), type }
  })
}

/** Raw mode: a JSON object becomes one field per key; an expression building JSON text has no equivalent. */
function rawFields(ctx: NodeContext): SetField[] {
  const json = ctx.raw('jsonOutput')
  let parsed: unknown
  try {
    parsed = typeof json === 'string' && !json.startsWith('=') ? JSON.parse(json) : undefined
  } catch {
    parsed = undefined
  }
  if (!isRecord(parsed)) {
    ctx.unmapped('jsonOutput', 'JSON built by an expression has no equivalent here: add the fields one by one', json)
    return []
  }
  return Object.entries(parsed).map(([name, value]) => ({ name, value: ctx.convert(value, `parameters.jsonOutput.${name}`), type: 'auto' }))
}

function keepOtherFields(ctx: NodeContext): boolean {
  if (ctx.version < 3) return ctx.raw('keepOnlySet') !== true
  const chosen = String(ctx.raw('include') ?? 'all')
  const include = ctx.version >= 3.3 && ctx.raw('includeOtherFields') !== true ? 'none' : chosen
  if (include === 'selected' || include === 'except') {
    ctx.unmapped(include === 'selected' ? 'includeFields' : 'excludeFields', `include "${include}" has no equivalent here: every other field is kept`)
  }
  return include !== 'none'
}

export const setMapper: NodeMapper = (ctx) => {
  const fields = ctx.version < 3 ? v1Fields(ctx) : ctx.raw('mode') === 'raw' ? rawFields(ctx) : ctx.version >= 3.3 ? assignmentFields(ctx) : v3Fields(ctx)
  if (ctx.peek('options.dotNotation') === false) ctx.unmapped('options.dotNotation', 'field names with dots are always paths here ("a.b" writes b inside a)')
  return { type: 'set', params: { fields, keepOtherFields: keepOtherFields(ctx) } }
}
