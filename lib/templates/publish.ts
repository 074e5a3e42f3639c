// Publishing: turning a workflow into template content (chosen values become `{{ $param.x }}`, credential ids become
// `{ $credentialRef }` slots) and checking content before it is stored as a version — the graph against the node
// registry, `$param` uses against the declared parameters, credential slots against the kinds each node accepts,
// test cases against the graph. Pure: no database; every problem names the field it is about. docs/templates.md.
import type { WorkflowGraph } from '../engine/graph-schema'
import { validateGraph } from '../engine/validate'
import { isReservedKey } from '../engine/safe-keys'
import { ValidationError } from '../errors'
import { nodeRegistry } from '../nodes/registry'
import { findReservedKey, credentialRefOf, toCredentialRefs } from '../services/workflow-file'
import { checkParamValues, paramUses } from './params'
import { schemaProblem } from './test-cases'
import {
  templateContentSchema, templateParameterSchema, type TemplateContent, type TemplateCredentialSlot, type TemplateParameter, type TemplateParamType,
} from './types'

export interface TemplateProblem {
  /** Dotted path into the content: `graph.nodes.<nodeId>.params.url`, `parameters.2.name`, `testCases.0.expect.1.node`. */
  path: string
  message: string
  nodeId?: string
}

const credentialOf = (type: string) => nodeRegistry.get(type)?.credential

function problemsError(problems: TemplateProblem[]): ValidationError {
  const fields: Record<string, string> = {}
  for (const p of problems) fields[p.path] ??= p.message
  return new ValidationError(`${problems[0].path}: ${problems[0].message}`, fields, { problems })
}

/** Where a param sits in a node: `graph.nodes.<id>.params.<path>`. */
const paramPath = (nodeId: string, path: string) => `graph.nodes.${nodeId}.params${path ? `.${path}` : ''}`

/**
 * Content ready to be stored as a version, with the node types it uses (sorted, distinct). Every problem is
 * reported at once (a 400 whose fields are keyed by path): shape, prototype keys, the graph, `$param` uses,
 * credential slots, parameter defaults and test cases.
 */
export function checkTemplateContent(input: unknown): { content: TemplateContent; nodeTypes: string[] } {
  const reserved = findReservedKey(input)
  if (reserved) {
    const path = reserved.replace(/^file\.?/, '')
    throw problemsError([{ path, message: `reserved name "${path.split('.').pop()}" is not allowed` }])
  }
  const parsed = templateContentSchema.safeParse(input)
  if (!parsed.success) {
    throw problemsError(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(content)', message: i.message })))
  }
  const content = parsed.data
  const problems = [
    ...parameterProblems(content.parameters),
    ...graphProblems(content.graph),
    ...paramUseProblems(content),
    ...credentialProblems(content),
    ...testCaseProblems(content),
  ]
  if (problems.length > 0) throw problemsError(problems)
  return { content, nodeTypes: [...new Set(content.graph.nodes.map((n) => n.type))].sort() }
}

function parameterProblems(parameters: TemplateParameter[]): TemplateProblem[] {
  const problems: TemplateProblem[] = []
  const seen = new Set<string>()
  parameters.forEach((p, i) => {
    if (seen.has(p.name)) problems.push({ path: `parameters.${i}.name`, message: `"${p.name}" is declared twice` })
    seen.add(p.name)
    if (p.type === 'select' && (p.options ?? []).length === 0) problems.push({ path: `parameters.${i}.options`, message: 'a select parameter needs at least one option' })
    if (p.default === undefined) return
    try {
      checkParamValues([{ ...p, required: false }], {}, 'default')
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      problems.push({ path: `parameters.${i}.default`, message: Object.values(err.fields ?? {})[0] ?? err.message })
    }
  })
  return problems
}

/**
 * The graph against the registry, as a save would check it and stricter: semantic problems block publishing too.
 * Credential slots stand in for ids; `{{ $param.x }}` is an expression, whose type is known only once resolved.
 */
function graphProblems(graph: WorkflowGraph): TemplateProblem[] {
  const nodes = graph.nodes.map((n) => ({
    ...n,
    params: Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, credentialRefOf(v) === null ? v : '{{ $credentialRef }}'])),
  }))
  const { problems } = validateGraph({ ...graph, nodes }, nodeRegistry, { parsed: true })
  return problems.map((p) => ({ path: `graph.${p.path}`, message: p.message, ...(p.nodeId && { nodeId: p.nodeId }) }))
}

function paramUseProblems(content: TemplateContent): TemplateProblem[] {
  const problems: TemplateProblem[] = []
  const { uses, unsupported } = paramUses(content.graph)
  for (const u of unsupported) {
    problems.push({ path: paramPath(u.nodeId, u.path), nodeId: u.nodeId, message: `${u.nodeName}: only $param.<name> is supported ($param[…] and a bare $param are not)` })
  }
  const declared = new Set(content.parameters.map((p) => p.name))
  for (const u of uses) {
    if (!declared.has(u.name)) problems.push({ path: paramPath(u.nodeId, u.path), nodeId: u.nodeId, message: `${u.nodeName}: $param.${u.name} is not a declared parameter` })
  }
  const used = new Set(uses.map((u) => u.name))
  content.parameters.forEach((p, i) => {
    if (!used.has(p.name)) problems.push({ path: `parameters.${i}.name`, message: `"${p.name}" is declared but no node uses $param.${p.name}` })
  })
  return problems
}

/** Credentials travel as slots only: a node's credential param is empty or `{ $credentialRef }`, of a declared slot whose kinds the node accepts. */
function credentialProblems(content: TemplateContent): TemplateProblem[] {
  const problems: TemplateProblem[] = []
  const slots = new Map<string, { slot: TemplateCredentialSlot; index: number }>()
  content.credentials.forEach((slot, index) => {
    if (slots.has(slot.ref)) problems.push({ path: `credentials.${index}.ref`, message: `"${slot.ref}" is declared twice` })
    else slots.set(slot.ref, { slot, index })
  })
  const used = new Set<string>()
  for (const node of content.graph.nodes) {
    const accepts = credentialOf(node.type)
    for (const [key, value] of Object.entries(node.params)) {
      const at = paramPath(node.id, key)
      const ref = credentialRefOf(value)
      if (key !== accepts?.param) {
        if (ref !== null) problems.push({ path: at, nodeId: node.id, message: `${node.name}: a credential slot can only stand in ${accepts ? `the "${accepts.param}" param` : 'the credential param of a node that takes one'}` })
        continue
      }
      if (ref === null) {
        if (value !== undefined && value !== null && value !== '') {
          problems.push({ path: at, nodeId: node.id, message: `${node.name}: holds a concrete credential (or an expression); a template holds only { $credentialRef } slots` })
        }
        continue
      }
      used.add(ref)
      const found = slots.get(ref)
      if (!found) {
        problems.push({ path: at, nodeId: node.id, message: `${node.name}: credential slot "${ref}" is not declared in credentials` })
        continue
      }
      const refused = found.slot.kinds.filter((k) => !accepts.kinds.includes(k))
      if (refused.length > 0) {
        problems.push({ path: `credentials.${found.index}.kinds`, message: `${node.name} (${node.type}) does not accept ${refused.join(', ')} (it accepts: ${accepts.kinds.join(', ')})` })
      }
    }
  }
  for (const { slot, index } of slots.values()) {
    if (!used.has(slot.ref)) problems.push({ path: `credentials.${index}.ref`, message: `"${slot.ref}" is declared but no node uses it` })
  }
  return problems
}

function testCaseProblems(content: TemplateContent): TemplateProblem[] {
  const problems: TemplateProblem[] = []
  const names = new Set(content.graph.nodes.map((n) => n.name))
  const known = (name: string) => (names.has(name) ? null : `no node is named "${name}"`)
  content.testCases.forEach((tc, i) => {
    try {
      checkParamValues(content.parameters, tc.params, `testCases.${i}.params`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      for (const [path, message] of Object.entries(err.fields ?? {})) problems.push({ path, message })
    }
    tc.expect.forEach((e, j) => {
      const problem = known(e.node)
      if (problem) problems.push({ path: `testCases.${i}.expect.${j}.node`, message: problem })
      const invalid = e.schema ? schemaProblem(e.schema) : null
      if (invalid) problems.push({ path: `testCases.${i}.expect.${j}.schema`, message: invalid })
    })
    for (const name of Object.keys(tc.recorded)) {
      const problem = known(name)
      if (problem) problems.push({ path: `testCases.${i}.recorded.${name}`, message: problem })
    }
  })
  return problems
}

export interface ParamBinding {
  nodeId: string
  /** Dotted path inside the node's params: `url`, `fields.0.value`. */
  path: string
  param: string
}

/** A parameter as the publish form sends it: the type may be left to the bound value, the default is the current value. */
export type ParameterDraft = Omit<Partial<TemplateParameter>, 'name'> & { name: string }

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

function typeOf(value: unknown): TemplateParamType {
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'string') return value.includes('\n') ? 'text' : 'string'
  return 'json'
}

/** Follows a dotted path to its container and key; null when a step is missing or reserved. */
function locate(params: Record<string, unknown>, path: string): { container: Record<string, unknown>; key: string } | null {
  const keys = path.split('.')
  let container: unknown = params
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === '' || isReservedKey(keys[i]) || container === null || typeof container !== 'object') return null
    if (!Object.hasOwn(container, keys[i])) return null
    if (i === keys.length - 1) return { container: container as Record<string, unknown>, key: keys[i] }
    container = (container as Record<string, unknown>)[keys[i]]
  }
  return null
}

/**
 * Template graph and schema from a saved workflow graph: each binding's value becomes `{{ $param.<param> }}` (and
 * the parameter's default, unless one is given; its type, unless given), and each credential id a slot taking the
 * kind of the workspace credential it pointed at (`credentialKinds`: id → kind; a credential gone meanwhile takes
 * every kind its node accepts).
 */
export function makeTemplateFromWorkflow(
  graph: WorkflowGraph,
  opts: { parameters: ParameterDraft[]; bindings: ParamBinding[]; credentialKinds: ReadonlyMap<string, string> },
): { graph: WorkflowGraph; parameters: TemplateParameter[]; credentials: TemplateCredentialSlot[] } {
  const drafts = new Map(opts.parameters.map((p, i) => [p.name, { draft: p, index: i }]))
  const found = new Map<string, unknown>()
  const nodes = graph.nodes.map((n) => ({ ...n, params: structuredClone(n.params) }))
  const byId = new Map(nodes.map((n) => [n.id, n]))
  opts.bindings.forEach((b, i) => {
    const node = byId.get(b.nodeId)
    if (!node) throw fail(`bindings.${i}.nodeId`, `no node has id "${b.nodeId}"`)
    if (!drafts.has(b.param)) throw fail(`bindings.${i}.param`, `"${b.param}" is not in parameters`)
    const at = locate(node.params, b.path)
    if (!at) throw fail(`bindings.${i}.path`, `${node.name} has no param at "${b.path}"`)
    const value = at.container[at.key]
    if (typeof value === 'string' && (value.includes('{{') || value.includes('}}'))) {
      throw fail(`bindings.${i}.path`, `${node.name}: ${b.path} holds an expression; only a plain value can become a parameter`)
    }
    if (credentialOf(node.type)?.param === b.path) throw fail(`bindings.${i}.path`, `${node.name}: ${b.path} is a credential; it becomes a credential slot, not a parameter`)
    if (!found.has(b.param)) found.set(b.param, value)
    at.container[at.key] = `{{ $param.${b.param} }}`
  })
  const parameters = opts.parameters.map((draft, i) => {
    const value = found.get(draft.name)
    const parsed = templateParameterSchema.safeParse({ type: typeOf(value), ...draft, default: draft.default === undefined ? value : draft.default })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw fail(['parameters', i, ...issue.path.map(String)].join('.'), issue.message)
    }
    return parsed.data
  })
  const withRefs = toCredentialRefs({ ...graph, nodes }, (type) => credentialOf(type)?.param)
  const credentials = withRefs.refs.map(({ ref, credentialId }): TemplateCredentialSlot => {
    const kind = opts.credentialKinds.get(credentialId)
    const users = withRefs.graph.nodes.filter((n) => credentialRefOf(n.params[credentialOf(n.type)?.param ?? '']) === ref)
    const kinds = kind ? [kind] : [...new Set(users.flatMap((n) => credentialOf(n.type)?.kinds ?? []))]
    return { ref, kinds, required: true }
  })
  return { graph: withRefs.graph, parameters, credentials }
}
