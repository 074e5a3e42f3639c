// The exported workflow file (`*.auterity.json`): its envelope schema and the pure steps of export and import —
// credential ids out to references and back, node ids renewed, names cleaned. No database here
// (lib/services/workflow-transfer.ts does the look-ups), so every rule is unit-testable.
import { randomUUID } from 'node:crypto'
import { z, type ZodType } from 'zod'
import { workflowGraphSchema, type WorkflowGraph } from '../engine/graph-schema'
import { isReservedKey, RESERVED_KEYS } from '../engine/safe-keys'
import { AppError, ValidationError } from '../errors'
import { parseJsonText } from '../http/body'

export const WORKFLOW_FILE_FORMAT = 'auterity.workflow'
export const WORKFLOW_FILE_VERSION = 1
/** A file given as text (pasted, or read from disk): the same as the API's large body limit's default. */
export const MAX_WORKFLOW_FILE_BYTES = 16 * 1024 * 1024
/** What stands in a node's credential param in a file: the id never leaves its workspace. */
export const CREDENTIAL_REF_KEY = '$credentialRef'

const credentialEntrySchema = z.object({
  ref: z.string().min(1).max(100),
  /** Null when the node pointed at a credential that no longer existed at export. */
  kind: z.string().min(1).max(100).nullable(),
  name: z.string().max(200).nullable(),
})
export type CredentialEntry = z.infer<typeof credentialEntrySchema>

export const workflowFileSchema = z.object({
  format: z.literal(WORKFLOW_FILE_FORMAT),
  formatVersion: z.literal(WORKFLOW_FILE_VERSION),
  exportedAt: z.string().max(100).optional(),
  workflow: z.object({
    name: z.string().max(1000),
    description: z.string().max(10_000).default(''),
    settings: z.record(z.string(), z.unknown()).default({}),
    graph: workflowGraphSchema,
  }),
  credentials: z.array(credentialEntrySchema).max(10_000).default([]),
})
export type WorkflowFile = z.infer<typeof workflowFileSchema>

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

/** Text is parsed with the API's own checks (depth, NUL), and errors name `file`. */
function fromText(text: string, maxBytes: number): unknown {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `file: larger than the limit of ${maxBytes} bytes`, { fields: { file: 'too large' } })
  }
  if (!text.trim()) throw fail('file', 'is empty')
  try {
    return parseJsonText(text)
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    const [field, message] = Object.entries(err.fields ?? {})[0] ?? ['(body)', '']
    // "Body is not valid JSON" → "file: is not valid JSON"; a NUL's path is inside the file.
    throw field === '(body)' ? fail('file', err.message.replace(/^Body /, '')) : fail(`file.${field}`, message)
  }
}

/** The first `__proto__` / `constructor` / `prototype` key anywhere, as a dotted path. Iterative: depth is bounded by the parser. */
export function findReservedKey(root: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: 'file' }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    for (const key of Object.keys(value)) {
      const at = `${path}.${key}`
      if (!Array.isArray(value) && isReservedKey(key)) return at
      stack.push({ value: (value as Record<string, unknown>)[key], path: at })
    }
  }
  return null
}

/** What an exported file says it is (workflow-file, workspace-file), and how large its text may be. */
export interface ExportFileKind {
  format: string
  formatVersion: number
  maxBytes: number
  /** "an exported Auterity workflow": what a file of another format is not. */
  what: string
}

/**
 * An exported file checked in the order a person would fix it: readable JSON, no prototype keys, the right format
 * and version, then the schema (the graph's own limits: 20,000 nodes…). Every failure is a 400 naming the field.
 */
export function parseExportFile<T>(input: unknown, kind: ExportFileKind, schema: ZodType<T>): T {
  const raw = typeof input === 'string' ? fromText(input, kind.maxBytes) : input
  const reserved = findReservedKey(raw)
  if (reserved) throw fail(reserved, `reserved name "${reserved.split('.').pop()}" is not allowed (${[...RESERVED_KEYS].join(', ')})`)
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('file', `must be a JSON object (${kind.what})`)
  const { format, formatVersion } = raw as Record<string, unknown>
  if (format !== kind.format) {
    throw fail('format', `must be "${kind.format}" (got ${JSON.stringify(format) ?? 'nothing'}): this is not ${kind.what}`)
  }
  if (formatVersion !== kind.formatVersion) {
    const newer = typeof formatVersion === 'number' && formatVersion > kind.formatVersion
    throw fail('formatVersion', `must be ${kind.formatVersion} (got ${JSON.stringify(formatVersion) ?? 'nothing'})${newer ? ': the file comes from a newer release' : ''}`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.map(String).join('.')
    throw fail(field, issue.code === 'too_big' && field.endsWith('graph.nodes') ? `more than ${issue.maximum} nodes` : issue.message)
  }
  return parsed.data
}

export function parseWorkflowFile(input: unknown): WorkflowFile {
  const file = parseExportFile(input, { format: WORKFLOW_FILE_FORMAT, formatVersion: WORKFLOW_FILE_VERSION, maxBytes: MAX_WORKFLOW_FILE_BYTES, what: 'an exported Auterity workflow' }, workflowFileSchema)
  const refs = new Set<string>()
  file.credentials.forEach((c, i) => {
    if (refs.has(c.ref)) throw fail(`credentials.${i}.ref`, `"${c.ref}" is listed twice`)
    refs.add(c.ref)
  })
  return file
}

// C0 and C1 controls, DEL, and the invisible direction overrides that can disguise a name.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** A name as createWorkflow takes it: controls removed, trimmed, 1–200 characters. Markup stays text (the UI escapes it). */
export function cleanName(raw: string, field: string): string {
  const name = raw.replace(CONTROL_CHARS, '').trim()
  if (!name) throw fail(field, 'is empty once control characters are removed')
  if (name.length > 200) throw fail(field, 'must be at most 200 characters')
  return name
}

export function credentialRefOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const ref = (value as Record<string, unknown>)[CREDENTIAL_REF_KEY]
  return typeof ref === 'string' ? ref : null
}

/** Where a graph points at credentials: the credential param of each node whose type declares one (an expression there is kept as written). */
export function credentialUses(graph: WorkflowGraph, credentialParam: (type: string) => string | undefined) {
  const uses: Array<{ index: number; param: string; credentialId: string }> = []
  graph.nodes.forEach((node, index) => {
    const param = credentialParam(node.type)
    const value = param ? node.params[param] : undefined
    if (param && typeof value === 'string' && value !== '' && !value.includes('{{')) uses.push({ index, param, credentialId: value })
  })
  return uses
}

/** The graph with each credential id replaced by `{ $credentialRef }`; refs are numbered in order of first use. */
export function toCredentialRefs(
  graph: WorkflowGraph,
  credentialParam: (type: string) => string | undefined,
): { graph: WorkflowGraph; refs: Array<{ ref: string; credentialId: string }> } {
  const refOf = new Map<string, string>()
  const nodes = graph.nodes.map((n) => ({ ...n, params: { ...n.params } }))
  for (const use of credentialUses(graph, credentialParam)) {
    if (!refOf.has(use.credentialId)) refOf.set(use.credentialId, `credential-${refOf.size + 1}`)
    nodes[use.index].params[use.param] = { [CREDENTIAL_REF_KEY]: refOf.get(use.credentialId) }
  }
  return { graph: { ...graph, nodes }, refs: [...refOf].map(([credentialId, ref]) => ({ ref, credentialId })) }
}

/**
 * Each `{ $credentialRef }` param (any top-level param of any node) replaced by the credential it maps to, or
 * removed when it maps to none (the caller reports those). A ref the file does not declare is a 400.
 */
export function fromCredentialRefs(graph: WorkflowGraph, declared: ReadonlySet<string>, mapped: ReadonlyMap<string, string>) {
  const usedBy = new Map<string, Array<{ id: string; name: string }>>()
  const nodes = graph.nodes.map((node, index) => {
    const params = { ...node.params }
    for (const [key, value] of Object.entries(node.params)) {
      const ref = credentialRefOf(value)
      if (ref === null) continue
      if (!declared.has(ref)) throw fail(`workflow.graph.nodes.${index}.params.${key}`, `credential ref "${ref}" is not listed in credentials`)
      usedBy.set(ref, [...(usedBy.get(ref) ?? []), { id: node.id, name: node.name }])
      const id = mapped.get(ref)
      if (id === undefined) delete params[key]
      else params[key] = id
    }
    return { ...node, params }
  })
  return { graph: { ...graph, nodes }, usedBy }
}

/** New ids for nodes, edges and notes; edges follow their nodes. Expressions refer to nodes by name, so they need nothing. */
export function renewIds(graph: WorkflowGraph, newId: (prefix: string) => string = randomId): { graph: WorkflowGraph; nodeIds: Map<string, string> } {
  const nodeIds = new Map(graph.nodes.map((n) => [n.id, newId('n')]))
  const nodes = graph.nodes.map((n) => ({ ...n, id: nodeIds.get(n.id)! }))
  const edges = graph.edges.map((e) => {
    const source = nodeIds.get(e.source) ?? e.source
    const target = nodeIds.get(e.target) ?? e.target
    const edge = { ...e, source, target }
    return e.id === undefined ? edge : { ...edge, id: `${source}:${e.sourcePort}->${target}:${e.targetPort}` }
  })
  const notes = graph.notes.map((note) => ({ ...note, id: newId('note') }))
  return { graph: { nodes, edges, notes }, nodeIds }
}

function randomId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`
}

/** `<slug>.auterity.json`: lower-case ASCII letters and digits joined by dashes. */
export function exportFileName(workflowName: string): string {
  const slug = workflowName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return `${slug || 'workflow'}.auterity.json`
}
