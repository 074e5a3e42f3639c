// A template's test cases, run through the real engine (docs/templates.md, "Test cases"). No I/O here: the host (the
// worker's template-test consumer) hands in the registry, its services and the case's time limit.
//
// A case runs sealed. Its parameters are resolved as "Use template" resolves them, its credential slots are removed,
// and every node named in `recorded` is swapped for a replay node (an internal type, only in this run's registry
// overlay) that outputs the recorded items on the original node's ports. A node that would reach outside the run and
// is not recorded fails the case before anything runs. What counts as outside:
//  - a node type with `sideEffects` (HTTP Request, LLM nodes, Send Email, SQL, Redis, brokers, Publish Event…);
//  - a node whose credential param is set (a slot or an id): it talks to what the credential opens;
//  - a node type using the host services in OUTSIDE_SERVICES (models, stored conversations, raw TCP, the event bus,
//    sub-workflows, browsers).
// Not outside: the sandbox (Code, expressions), `files` (the host gives the case files that belong to no execution
// and expire) and `dedupeHistory` (a fresh in-memory history per case, so a case never marks real items as seen).
// Disabled nodes and triggers never execute and are never outside.
import Ajv from 'ajv'
import { z } from 'zod'
import type { GraphNode, WorkflowGraph } from '../engine/graph-schema'
import { MemoryItemStore } from '../engine/memory-store'
import { inputPortNames, outputPortNames } from '../engine/ports'
import { runWorkflow } from '../engine/run'
import { NodeError, type Item, type NodeDefinition, type NodeOutput, type NodeRegistry, type NodeServices, type RunLimits, type RunResult } from '../engine/types'
import { stableStringify } from '../nodes/conditions'
import type { HostServiceKey, HostServices } from '../nodes/host-services'
import type { DedupeHistory } from '../nodes/remove-duplicates/history'
import { unavailableEvents } from '../nodes/publish-event/host'
import { unavailableMessaging } from '../messaging/unavailable'
import { unavailableBrowser } from '../browser/unavailable'
import { unavailableVectors } from '../vector/unavailable'
import { fromCredentialRefs } from '../services/workflow-file'
import { checkParamValues, resolveTemplateParams } from './params'
import type { TemplateCaseResult, TemplateContent, TemplateExpectation, TemplateTestCase } from './types'

/** The replay node's type: never in the real registry or the palette. */
export const REPLAY_TYPE = '__replay'

/** Host services that reach outside the run: a node using one must be recorded. */
export const OUTSIDE_SERVICES: ReadonlySet<HostServiceKey> = new Set(['ai', 'aiMemory', 'network', 'events', 'executeWorkflow', 'runWorkflow', 'browser', 'vectors'])

/** At most this many items of a node's output are kept in a failed check's `actual`. */
const ACTUAL_PREVIEW = 20

/** A case that cannot run as written (bad params, a node left unrecorded, a recording that fits no node). */
export class CaseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CaseError'
  }
}

/** Why running `node` would reach outside the run, or null. */
export function outsideReason(node: GraphNode, def: NodeDefinition): string | null {
  if (def.trigger || node.settings.disabled) return null
  if (def.sideEffects) return 'it acts outside the run'
  const credential = def.credential && node.params[def.credential.param]
  if (credential !== undefined && credential !== null && credential !== '') return 'it uses a credential'
  const service = (def.services ?? []).find((s) => OUTSIDE_SERVICES.has(s as HostServiceKey))
  return service ? `it uses the "${service}" service` : null
}

const itemsSchema = z.array(z.record(z.string(), z.unknown()))

/** A recorded response as items per port: an array is the main port's items. */
function recordedOutput(value: unknown, at: string): NodeOutput {
  const byPort = Array.isArray(value) ? { main: value } : value
  if (byPort === null || typeof byPort !== 'object') throw new CaseError(`${at}: must be the items of the main port, or { port: items }`)
  const out: NodeOutput = {}
  for (const [port, items] of Object.entries(byPort)) {
    const parsed = itemsSchema.safeParse(items)
    if (!parsed.success) throw new CaseError(`${at}.${port}: must be an array of objects (the items the node output)`)
    out[port] = parsed.data
  }
  return out
}

/** The definition the overlay adds: outputs the recorded items of the node it stands for, on that node's ports. */
function replayDefinition(recorded: ReadonlyMap<string, NodeOutput>, inputs: string[]): NodeDefinition {
  const params = z.object({ ports: z.array(z.string()), replaying: z.string() })
  return {
    type: REPLAY_TYPE,
    version: 1,
    label: 'Recorded response',
    description: 'Outputs the items a template test case recorded for this node.',
    icon: 'History',
    category: 'core',
    params,
    inputs: inputs.map((name) => ({ name })),
    outputs: (p: z.infer<typeof params>) => p.ports.map((name) => ({ name })),
    load: async () => ({ execute: async (ctx) => structuredClone(recorded.get(ctx.node.id) ?? {}) }),
  }
}

export interface PreparedCase {
  graph: WorkflowGraph
  registry: NodeRegistry
}

/**
 * The graph and registry a case runs with: parameters resolved, credential slots removed, recorded nodes replayed.
 * Throws CaseError for a case that cannot run (its message names the parameter or the node).
 */
export function prepareCase(content: TemplateContent, testCase: TemplateTestCase, registry: NodeRegistry): PreparedCase {
  let graph: WorkflowGraph
  try {
    graph = resolveTemplateParams(content.graph, checkParamValues(content.parameters, testCase.params))
  } catch (err) {
    throw new CaseError(err instanceof Error ? err.message : String(err))
  }
  const byName = new Map(graph.nodes.map((n) => [n.name, n]))
  const recorded = new Map<string, NodeOutput>()
  const replayed = new Map<string, string[]>()
  for (const [name, value] of Object.entries(testCase.recorded)) {
    const node = byName.get(name)
    if (!node) throw new CaseError(`recorded.${name}: the template has no node named "${name}"`)
    const def = registry.get(node.type)
    if (!def) throw new CaseError(`recorded.${name}: node type "${node.type}" is not known here`)
    if (def.trigger) throw new CaseError(`recorded.${name}: "${name}" is the trigger: its output is the case's input`)
    const ports = outputPortNames(def, def.params.safeParse(node.params).data ?? node.params, node.settings) ?? []
    const output = recordedOutput(value, `recorded.${name}`)
    const unknown = Object.keys(output).find((p) => !ports.includes(p))
    if (unknown) throw new CaseError(`recorded.${name}.${unknown}: "${name}" has no output "${unknown}" (it has: ${ports.join(', ')})`)
    recorded.set(node.id, output)
    replayed.set(node.id, ports)
  }
  for (const node of graph.nodes) {
    const def = registry.get(node.type)
    const reason = def && !replayed.has(node.id) ? outsideReason(node, def) : null
    if (reason) throw new CaseError(`Node "${node.name}" calls an outside service (${reason}): record its response in the case (recorded["${node.name}"])`)
  }
  const declared = new Set(content.credentials.map((c) => c.ref))
  try {
    graph = fromCredentialRefs(graph, declared, new Map()).graph
  } catch (err) {
    throw new CaseError(err instanceof Error ? err.message.replace(/^workflow\.graph\./, 'graph.') : String(err))
  }
  graph = {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const ports = replayed.get(n.id)
      return ports ? { ...n, type: REPLAY_TYPE, typeVersion: 1, params: { ports, replaying: n.type } } : n
    }),
  }
  const overlay = new Map(registry)
  const inputs = new Set<string>()
  for (const def of registry.values()) for (const p of inputPortNames(def)) inputs.add(p)
  overlay.set(REPLAY_TYPE, replayDefinition(recorded, [...inputs]))
  return { graph, registry: overlay }
}

/** A Remove Duplicates history that lives as long as one case. */
function caseDedupeHistory(): DedupeHistory {
  const scopes = new Map<string, Map<string, string>>()
  return {
    async claim({ scope, executionId, hashes }) {
      let seen = scopes.get(scope)
      if (!seen) scopes.set(scope, (seen = new Map()))
      const fresh = new Set<string>()
      for (const h of hashes) {
        const owner = seen.get(h)
        if (owner === undefined) seen.set(h, executionId)
        if (owner === undefined || owner === executionId) fresh.add(h)
      }
      return fresh
    },
    async trim({ scope, keep }) {
      const seen = scopes.get(scope)
      if (seen) [...seen.keys()].slice(0, Math.max(0, seen.size - keep)).forEach((h) => seen.delete(h))
    },
  }
}

const refuse = (what: string) => () => Promise.reject(new NodeError(`${what} do not run in template test cases`, { code: 'UNAVAILABLE' }))

/** The services a case runs with: the host's, sealed (see the top of this file). */
export function sealServices(services: NodeServices & HostServices): NodeServices & HostServices {
  return {
    ...services,
    respond: undefined,
    beforeSideEffect: undefined,
    dedupeHistory: caseDedupeHistory(),
    events: unavailableEvents,
    messaging: unavailableMessaging,
    browser: unavailableBrowser,
    vectors: unavailableVectors,
    runWorkflow: refuse('Sub-workflows'),
    executeWorkflow: refuse('Sub-workflows'),
  }
}

export interface CaseHost {
  registry: NodeRegistry<HostServices>
  services: NodeServices & HostServices
  tenantId: string
  /** Names the runs (`<runId>-<case index>`): shown in logs, used by Remove Duplicates' history scope. */
  runId: string
  /** Longest one case may run. */
  timeoutMs: number
  limits?: Partial<Omit<RunLimits, 'startedAt'>>
  signal?: AbortSignal
}

/** Runs case `index` of `content` and checks its expectations. Never throws for the case's own sake. */
export async function runTemplateCase(content: TemplateContent, index: number, host: CaseHost): Promise<TemplateCaseResult> {
  const testCase = content.testCases[index]
  const started = Date.now()
  const done = (r: Omit<TemplateCaseResult, 'name' | 'durationMs'>): TemplateCaseResult => ({ name: testCase.name, ...r, durationMs: Date.now() - started })
  let prepared: PreparedCase
  try {
    prepared = prepareCase(content, testCase, host.registry)
  } catch (err) {
    if (!(err instanceof CaseError)) throw err
    return done({ status: 'error', checks: [], error: err.message })
  }
  const store = new MemoryItemStore()
  const maxRunMs = Math.min(host.timeoutMs, host.limits?.maxRunMs || Infinity)
  const result = await runWorkflow({
    graph: prepared.graph,
    registry: prepared.registry as NodeRegistry<HostServices>,
    executionId: `${host.runId}-${index}`,
    workflowId: `template-test-${host.runId}`,
    tenantId: host.tenantId,
    input: structuredClone(testCase.input),
    services: sealServices(host.services),
    getCredential: () => Promise.reject(new NodeError('Template test cases run without credentials', { code: 'UNAVAILABLE' })),
    store,
    signal: host.signal,
    limits: { ...host.limits, maxRunMs },
  })
  if (result.status === 'canceled') return done({ status: 'error', checks: [], error: 'The case was canceled before it finished' })
  const checks = []
  for (const e of testCase.expect) checks.push(await checkExpectation(e, prepared.graph, result, store))
  const failed = result.status !== 'succeeded' || checks.some((c) => !c.passed)
  return done({ status: failed ? 'failed' : 'passed', checks, ...(result.error && { error: `The run failed: ${result.error.message}` }) })
}

/** Every case of `content`, one after another. */
export async function runTemplateCases(content: TemplateContent, host: CaseHost): Promise<TemplateCaseResult[]> {
  const results: TemplateCaseResult[] = []
  for (let i = 0; i < content.testCases.length; i++) results.push(await runTemplateCase(content, i, host))
  return results
}

type Check = TemplateCaseResult['checks'][number]

async function checkExpectation(e: TemplateExpectation, graph: WorkflowGraph, result: RunResult, store: MemoryItemStore): Promise<Check> {
  const port = e.port ?? 'main'
  const fail = (message: string, actual?: unknown): Check => ({ node: e.node, port, passed: false, message, ...(actual !== undefined && { actual }) })
  const node = graph.nodes.find((n) => n.name === e.node)
  if (!node) return fail(`The template has no node named "${e.node}"`)
  const step = result.steps[node.id]
  if (!step || step.status === 'pending') return fail(`"${e.node}" did not run`)
  if (step.status === 'skipped') return fail(`"${e.node}" did not run: its branch was not taken`)
  if (step.status !== 'succeeded') return fail(`"${e.node}" ${step.status}${step.error ? `: ${step.error.message}` : ''}`)
  const items: Item[] = []
  for await (const page of store.pages(node.id, port)) items.push(...page)
  const actual = JSON.parse(JSON.stringify(items)) as unknown[]
  if (e.equals !== undefined) {
    const diff = jsonDiff(e.equals, actual, '')
    return diff.length === 0 ? { node: e.node, port, passed: true } : fail(`Output differs: ${diff.join('; ')}`, actual.slice(0, ACTUAL_PREVIEW))
  }
  const problems = validateSchema(e.schema!, actual)
  return problems.length === 0 ? { node: e.node, port, passed: true } : fail(`Output does not match the schema: ${problems.join('; ')}`, actual.slice(0, ACTUAL_PREVIEW))
}

/** Where `actual` differs from `expected`, as `path: expected X, got Y` (at most 5). Key order does not matter. */
export function jsonDiff(expected: unknown, actual: unknown, path: string, out: string[] = []): string[] {
  if (out.length >= 5) return out
  const at = path || '(whole output)'
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${at}: expected ${expected.length} item${expected.length === 1 ? '' : 's'}, got ${actual.length}`)
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) jsonDiff(expected[i], actual[i], `${path}[${i}]`, out)
    return out
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const sub = `${path}.${key}`
      if (!(key in actual)) out.push(`${sub}: expected ${short(expected[key])}, missing`)
      else if (!(key in expected)) out.push(`${sub}: not expected, got ${short(actual[key])}`)
      else jsonDiff(expected[key], actual[key], sub, out)
      if (out.length >= 5) break
    }
    return out
  }
  if (stableStringify(expected) !== stableStringify(actual)) out.push(`${at}: expected ${short(expected)}, got ${short(actual)}`)
  return out
}

function short(v: unknown): string {
  const text = stableStringify(v)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** A quantifier at `i`: `*`, `+`, or `{n,}` / `{n,m}` with m > 1 (a `?` or `{0,1}` cannot repeat). */
function quantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i]
  if (c === '*' || c === '+') return true
  const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null
  return m !== null && (m[2] === undefined ? Number(m[1]) > 1 : m[3] === '' || Number(m[3]) > 1)
}

/** A group that holds a quantifier (at any depth) and is itself quantified ((a+)+, (\\w*)*, ((ab)*c)+): the shape
 * that makes a backtracking regex take exponential time on a crafted string. */
export function nestsQuantifiers(pattern: string): boolean {
  const open: boolean[] = [] // per open group: does it hold a quantifier so far
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') inClass = true
    else if (c === '(') open.push(false)
    else if (c === ')') {
      const held = open.pop() ?? false
      const quantified = quantifierAt(pattern, i + 1)
      if (held && quantified) return true
      if (open.length > 0 && (held || quantified)) open[open.length - 1] = true
    } else if (open.length > 0 && quantifierAt(pattern, i)) open[open.length - 1] = true
  }
  return false
}

/** Strings longer than this are not tested against a schema's patterns (they fail the check). */
const MAX_PATTERN_INPUT = 10_000

/**
 * Schema patterns are written by template authors and run on the worker's thread: ones with nested quantifiers are
 * refused when the schema compiles, and very long strings fail without being tested, so a case cannot stall a worker.
 */
const guardedRegExp = Object.assign(
  (pattern: string, flags: string) => {
    if (nestsQuantifiers(pattern)) throw new Error(`pattern "${pattern}" nests quantifiers, which can take exponential time: simplify it`)
    const re = new RegExp(pattern, flags)
    return { test: (text: string) => text.length <= MAX_PATTERN_INPUT && re.test(text) }
  },
  { code: 'guardedRegExp' },
)

function compileSchema(schema: Record<string, unknown>) {
  return new Ajv({ allErrors: true, strict: false, code: { regExp: guardedRegExp } }).compile(schema)
}

/** Why an expectation's schema cannot be used (Ajv refuses it, or a pattern nests quantifiers), or null. */
export function schemaProblem(schema: Record<string, unknown>): string | null {
  try {
    compileSchema(schema)
    return null
  } catch (err) {
    return `the schema is not valid: ${err instanceof Error ? err.message : String(err)}`
  }
}

/** JSON Schema (draft-07 and the keywords Ajv knows) against the array of items. A schema Ajv refuses is a problem too. */
export function validateSchema(schema: Record<string, unknown>, actual: unknown[]): string[] {
  let validate
  try {
    validate = compileSchema(schema)
  } catch {
    return [schemaProblem(schema)!]
  }
  if (validate(actual)) return []
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(whole output)'} ${e.message ?? 'is not valid'}`)
}
