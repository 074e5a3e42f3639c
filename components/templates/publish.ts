// "Publish as template": which node param values can become parameters (strings, numbers and booleans at the top
// level of a node's params and one level down), and turning the person's choices into the API's `parameters` and
// `bindings`. Pure; the dialog (PublishTemplateDialog.tsx) holds the state.
import { paramUses } from '@/lib/templates/params'
import { PARAM_NAME, type TemplateContent, type TemplateParameter, type TemplateParamType } from '@/lib/templates/types'

export type Scalar = string | number | boolean

export interface ParamCandidate {
  nodeId: string
  nodeName: string
  /** Dotted path inside the node's params: `url`, `headers.0`, `options.timeout`. */
  path: string
  value: Scalar
}

/** One row of the dialog: a candidate and whether (and how) it becomes a parameter. */
export interface CandidateChoice extends ParamCandidate {
  checked: boolean
  name: string
  type: TemplateParamType
  required: boolean
}

interface NodeLike {
  id: string
  name: string
  type: string
  params: Record<string, unknown>
}

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

/**
 * The values a person may turn into parameters. Left out: a node's credential param (credentials become slots, never
 * parameters), expressions (`{{ … }}`: a parameter replaces the whole value, which would lose the expression) and
 * `$credentialRef` slots.
 */
export function paramCandidates(nodes: readonly NodeLike[], credentialParam: (type: string) => string | undefined = () => undefined): ParamCandidate[] {
  const out: ParamCandidate[] = []
  const offer = (node: NodeLike, path: string, value: unknown) => {
    if (!isScalar(value)) return
    if (typeof value === 'string' && (value.includes('{{') || value.includes('}}'))) return
    out.push({ nodeId: node.id, nodeName: node.name, path, value })
  }
  for (const node of nodes) {
    const skip = credentialParam(node.type)
    for (const [key, value] of Object.entries(node.params ?? {})) {
      if (key === skip) continue
      if (isScalar(value)) offer(node, key, value)
      else if (Array.isArray(value)) value.forEach((v, i) => offer(node, `${key}.${i}`, v))
      else if (value !== null && typeof value === 'object' && !('$credentialRef' in value)) {
        for (const [k, v] of Object.entries(value)) offer(node, `${key}.${k}`, v)
      }
    }
  }
  return out
}

/** `Fetch weather` + `url` → `fetch_weather_url`, made unique among `taken`. */
export function suggestParamName(c: Pick<ParamCandidate, 'nodeName' | 'path'>, taken: ReadonlySet<string>): string {
  const base = `${c.nodeName}_${c.path}`.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 56) || 'param'
  const head = /^[a-z_]/.test(base) ? base : `p_${base}`
  let name = head
  for (let i = 2; taken.has(name); i++) name = `${head}_${i}`
  return name
}

export function typeOf(value: Scalar): TemplateParamType {
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : value.length > 120 || value.includes('\n') ? 'text' : 'string'
}

/** Every candidate as an unchecked row with a suggested, unique name. */
export function initialChoices(candidates: readonly ParamCandidate[]): CandidateChoice[] {
  const taken = new Set<string>()
  return candidates.map((c) => {
    const name = suggestParamName(c, taken)
    taken.add(name)
    return { ...c, checked: false, name, type: typeOf(c.value), required: false }
  })
}

/** The value at a dotted path inside params (`fields.0.value`), or undefined. */
function valueAt(params: unknown, path: string): unknown {
  let at = params
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

/**
 * The rows ticked as a template version has them, for publishing a new version of it: each place its graph holds
 * exactly `{{ $param.x }}` whose node (by id: a template keeps the ids of the workflow it was published from, and a
 * workflow made from it keeps the template's) still holds a plain value there. Such a place deeper than the
 * candidates reach gets a row of its own. Name, type and required come from the parameter.
 */
export function prefillFromTemplate(
  choices: readonly CandidateChoice[],
  nodes: readonly NodeLike[],
  content: Pick<TemplateContent, 'graph' | 'parameters'>,
): CandidateChoice[] {
  const rows = choices.map((c) => ({ ...c, checked: false }))
  const byKey = new Map(rows.map((c) => [choiceKey(c), c]))
  const declared = new Map(content.parameters.map((p) => [p.name, p]))
  const nodeById = new Map(nodes.map((n) => [n.id, n]))
  const templateNode = new Map(content.graph.nodes.map((n) => [n.id, n]))
  for (const use of paramUses(content.graph).uses) {
    const param = declared.get(use.name)
    const node = nodeById.get(use.nodeId)
    const placeholder = valueAt(templateNode.get(use.nodeId)?.params, use.path)
    if (!param || !node || typeof placeholder !== 'string' || placeholder.replace(/\s+/g, '') !== `{{$param.${use.name}}}`) continue
    const type = param.type
    let row = byKey.get(choiceKey(use))
    if (!row) {
      const value = valueAt(node.params, use.path)
      if (!isScalar(value) || (typeof value === 'string' && (value.includes('{{') || value.includes('}}')))) continue
      row = { nodeId: node.id, nodeName: node.name, path: use.path, value, checked: false, name: use.name, type, required: false }
      byKey.set(choiceKey(row), row)
      rows.push(row)
    }
    Object.assign(row, { checked: true, name: use.name, type, required: param.required })
  }
  return rows
}

/** A row's identity (and the key of its problem). */
export const choiceKey = (c: Pick<ParamCandidate, 'nodeId' | 'path'>) => `${c.nodeId}:${c.path}`

/**
 * The checked rows as the API's parameters (the current value is the default) and bindings; problems by row key
 * (a bad or repeated name). Two rows may share a name on purpose: one parameter then fills both places, so the
 * second only adds a binding (its type must match).
 */
export function publishPayload(choices: readonly CandidateChoice[], known: readonly TemplateParameter[] = []): {
  parameters: TemplateParameter[]
  bindings: Array<{ nodeId: string; path: string; param: string }>
  errors: Record<string, string>
} {
  const parameters: TemplateParameter[] = []
  const bindings: Array<{ nodeId: string; path: string; param: string }> = []
  const errors: Record<string, string> = {}
  const byName = new Map<string, TemplateParameter>()
  // A parameter the template already has keeps its label, description and options; its default is the value now.
  const knownByName = new Map(known.map((p) => [p.name, p]))
  for (const c of choices) {
    if (!c.checked) continue
    const name = c.name.trim()
    if (!PARAM_NAME.test(name)) {
      errors[choiceKey(c)] = 'A letter or _ followed by letters, digits or _ (at most 64)'
      continue
    }
    const seen = byName.get(name)
    if (seen && seen.type !== c.type) {
      errors[choiceKey(c)] = `“${name}” is already a ${seen.type} parameter`
      continue
    }
    if (!seen) {
      const was = knownByName.get(name)
      const fresh: TemplateParameter = { name, type: c.type, description: '', required: c.required, default: defaultFor(c) }
      const p: TemplateParameter = was && was.type === c.type ? { ...was, required: c.required, default: fresh.default } : fresh
      byName.set(name, p)
      parameters.push(p)
    }
    bindings.push({ nodeId: c.nodeId, path: c.path, param: name })
  }
  return { parameters, bindings, errors }
}

function defaultFor(c: CandidateChoice): unknown {
  if (c.type === 'number') return typeof c.value === 'number' ? c.value : Number.isFinite(Number(c.value)) && String(c.value).trim() !== '' ? Number(c.value) : undefined
  if (c.type === 'boolean') return typeof c.value === 'boolean' ? c.value : c.value === 'true'
  return String(c.value)
}
