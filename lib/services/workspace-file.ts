// The exported workspace file (`*.auterity-workspace.json`): its envelope schema and the pure steps of export and
// import — every workflow with its history, every template with its versions, credential metadata. No database here
// (lib/services/workspace-transfer.ts does the look-ups and writes), so every rule is unit-testable. It reuses the
// single-workflow file's pieces (lib/services/workflow-file.ts): credential refs, reserved keys, names.
import { z } from 'zod'
import type { WorkflowGraph } from '../engine/graph-schema'
import { workflowGraphSchema } from '../engine/graph-schema'
import { ValidationError } from '../errors'
import { templateContentSchema } from '../templates/types'
import { cleanName, CREDENTIAL_REF_KEY, credentialRefOf, credentialUses, exportFileName, fromCredentialRefs, parseExportFile } from './workflow-file'

export const WORKSPACE_FILE_FORMAT = 'auterity.workspace'
export const WORKSPACE_FILE_VERSION = 1
/** A whole workspace, history included, is bigger than one workflow: the file and the import's request body. */
export const MAX_WORKSPACE_FILE_BYTES = 100 * 1024 * 1024
/** The import's body: the file plus `dryRun` and `resolutions`. */
export const MAX_WORKSPACE_BODY_BYTES = MAX_WORKSPACE_FILE_BYTES + 1024 * 1024

/** The node type whose `workflowId` param names another workflow of the workspace. */
export const EXECUTE_WORKFLOW_TYPE = 'execute-workflow'

const ref = z.string().min(1).max(100)
const versionNumber = z.number().int().min(1)
const timestamp = z.string().max(100).optional()

const workflowEntrySchema = z.object({
  ref,
  name: z.string().max(1000),
  description: z.string().max(10_000).default(''),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Informational: an import is always inactive. */
  active: z.boolean().default(false),
  currentVersion: versionNumber,
  publishedVersion: versionNumber.nullable().default(null),
  /** A template ref of this file, or `builtin:<slug>`. */
  templateId: z.string().max(200).nullable().optional(),
  templateVersion: versionNumber.nullable().optional(),
  versions: z
    .array(z.object({ number: versionNumber, graph: workflowGraphSchema, message: z.string().max(10_000).default(''), createdAt: timestamp }))
    .min(1)
    .max(100_000),
})
export type WorkspaceWorkflowEntry = z.infer<typeof workflowEntrySchema>

const content = templateContentSchema.shape
const templateEntrySchema = z.object({
  ref,
  name: z.string().max(1000),
  description: content.description,
  category: content.category,
  tags: content.tags,
  currentVersion: versionNumber,
  versions: z
    .array(
      z.object({
        number: versionNumber,
        graph: workflowGraphSchema,
        parameters: content.parameters,
        credentials: content.credentials,
        testCases: content.testCases,
        changelog: z.string().max(10_000).default(''),
        createdAt: timestamp,
      }),
    )
    .min(1)
    .max(10_000),
})
export type WorkspaceTemplateEntry = z.infer<typeof templateEntrySchema>

const credentialEntrySchema = z.object({
  ref,
  /** Both null when a node pointed at a credential that no longer existed at export. */
  name: z.string().max(200).nullable(),
  kind: z.string().min(1).max(100).nullable(),
})

export const workspaceFileSchema = z.object({
  format: z.literal(WORKSPACE_FILE_FORMAT),
  formatVersion: z.literal(WORKSPACE_FILE_VERSION),
  exportedAt: timestamp,
  workspace: z.object({ name: z.string().max(1000) }),
  workflows: z.array(workflowEntrySchema).max(100_000).default([]),
  templates: z.array(templateEntrySchema).max(10_000).default([]),
  credentials: z.array(credentialEntrySchema).max(100_000).default([]),
})
export type WorkspaceFile = z.infer<typeof workspaceFileSchema>

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

/**
 * The file checked as a workflow file is (readable JSON, no prototype keys, format, version, the schema with each
 * graph's own limits: 20,000 nodes…), then for what the schema cannot say: refs listed once, version numbers that
 * exist, credential refs that the file declares. Every failure is a 400 naming the field.
 */
export function parseWorkspaceFile(input: unknown): WorkspaceFile {
  const kind = { format: WORKSPACE_FILE_FORMAT, formatVersion: WORKSPACE_FILE_VERSION, maxBytes: MAX_WORKSPACE_FILE_BYTES, what: 'an exported Auterity workspace' }
  const file = parseExportFile(input, kind, workspaceFileSchema)
  checkReferences(file)
  return file
}

function unique(values: string[], field: (i: number) => string, what: string) {
  const seen = new Set<string>()
  values.forEach((v, i) => {
    if (seen.has(v)) throw fail(field(i), `${what} "${v}" is listed twice`)
    seen.add(v)
  })
}

/** Numbers listed once and the ones named there. A workflow's current version is its newest (the next save adds one). */
function checkVersions(entry: { currentVersion: number; versions: Array<{ number: number }> }, at: string, workflow?: { publishedVersion: number | null }) {
  unique(entry.versions.map((v) => String(v.number)), (j) => `${at}.versions.${j}.number`, 'version')
  const numbers = new Set(entry.versions.map((v) => v.number))
  if (!numbers.has(entry.currentVersion)) throw fail(`${at}.currentVersion`, `version ${entry.currentVersion} is not in versions`)
  if (!workflow) return
  const newest = entry.versions.reduce((max, v) => Math.max(max, v.number), 0)
  if (entry.currentVersion !== newest) throw fail(`${at}.currentVersion`, `must be the newest version (${newest})`)
  const published = workflow.publishedVersion
  if (published !== null && !numbers.has(published)) throw fail(`${at}.publishedVersion`, `version ${published} is not in versions`)
}

function checkReferences(file: WorkspaceFile) {
  unique(file.workflows.map((w) => w.ref), (i) => `workflows.${i}.ref`, 'ref')
  unique(file.templates.map((t) => t.ref), (i) => `templates.${i}.ref`, 'ref')
  unique(file.credentials.map((c) => c.ref), (i) => `credentials.${i}.ref`, 'ref')
  // Template names are unique in a workspace; workflow names are not.
  unique(file.templates.map((t) => t.name), (i) => `templates.${i}.name`, 'template name')
  const declared = new Set(file.credentials.map((c) => c.ref))
  file.workflows.forEach((wf, i) => {
    checkVersions(wf, `workflows.${i}`, wf)
    wf.versions.forEach((v, j) =>
      v.graph.nodes.forEach((node, k) => {
        for (const [key, value] of Object.entries(node.params)) {
          const cref = credentialRefOf(value)
          if (cref !== null && !declared.has(cref)) throw fail(`workflows.${i}.versions.${j}.graph.nodes.${k}.params.${key}`, `credential ref "${cref}" is not listed in credentials`)
        }
      }),
    )
  })
  file.templates.forEach((t, i) => checkVersions(t, `templates.${i}`))
}

/**
 * A workflow graph as it goes into the file: credential ids become `{ $credentialRef }` (the caller numbers refs
 * across the workspace), and an Execute Workflow node's `workflowId` the called workflow's ref (an id the
 * workspace no longer has stays as it was: the import reports it).
 */
export function graphForFile(
  graph: WorkflowGraph,
  credentialParam: (type: string) => string | undefined,
  credentialRef: (credentialId: string) => string,
  workflowRef: (workflowId: string) => string | undefined,
): WorkflowGraph {
  const nodes = graph.nodes.map((n) => ({ ...n, params: { ...n.params } }))
  for (const use of credentialUses(graph, credentialParam)) nodes[use.index].params[use.param] = { [CREDENTIAL_REF_KEY]: credentialRef(use.credentialId) }
  for (const node of nodes) {
    const target = subWorkflowId(node)
    const mapped = target === null ? undefined : workflowRef(target)
    if (mapped !== undefined) node.params.workflowId = mapped
  }
  return { ...graph, nodes }
}

/** An Execute Workflow node's literal `workflowId` (an expression is kept as written, so it is not one). */
export function subWorkflowId(node: { type: string; params: Record<string, unknown> }): string | null {
  const id = node.params.workflowId
  return node.type === EXECUTE_WORKFLOW_TYPE && typeof id === 'string' && id !== '' && !id.includes('{{') ? id : null
}

/**
 * A file graph as it is saved in the importing workspace: credential refs mapped (or their params removed: the
 * caller reports those) and sub-workflow refs pointing at the imported (or kept) workflows. Node ids stay: they are
 * local to the graph, and keeping them keeps version-to-version and template upgrade diffs meaningful.
 */
export function graphFromFile(
  graph: WorkflowGraph,
  declaredCredentials: ReadonlySet<string>,
  credentialIds: ReadonlyMap<string, string>,
  workflowIds: ReadonlyMap<string, string>,
): WorkflowGraph {
  const { graph: mapped } = fromCredentialRefs(graph, declaredCredentials, credentialIds)
  const nodes = mapped.nodes.map((node) => {
    const target = subWorkflowId(node)
    const id = target === null ? undefined : workflowIds.get(target)
    return id === undefined ? node : { ...node, params: { ...node.params, workflowId: id } }
  })
  return { ...mapped, nodes }
}

export const RESOLUTIONS = ['skip', 'rename', 'replace'] as const
export type Resolution = (typeof RESOLUTIONS)[number]

export type Kind = 'workflow' | 'template'

export interface PlannedEntry {
  ref: string
  /** As in the file. */
  name: string
  /** `conflict`: the name exists here and no resolution was given (a dry run lists these; an import refuses them). */
  action: 'create' | Resolution | 'conflict'
  /** The name it is (or would be) saved under: cleaned of control characters, or renamed. */
  as: string
  /** Created or replaced (a dry run: the replaced one only; skip: the one kept). */
  id: string | null
  versions: number
}

export interface NameConflict {
  type: Kind
  name: string
  existingIds: string[]
  choices: Resolution[]
  resolution: Resolution | null
}

export interface Plan<E> {
  entry: E
  index: number
  planned: PlannedEntry
}

/** What each entry of one kind becomes: created, created under a free name, skipped, or replacing its namesake. */
export function planKind<E extends { ref: string; name: string; versions: unknown[] }>(
  type: Kind,
  entries: E[],
  existing: Array<{ id: string; name: string }>,
  resolutions: Record<string, Resolution>,
): { plans: Array<Plan<E>>; conflicts: NameConflict[] } {
  const idsByName = new Map<string, string[]>()
  for (const row of existing) idsByName.set(row.name, [...(idsByName.get(row.name) ?? []), row.id])
  const named = entries.map((entry, index) => ({ entry, index, name: cleanName(entry.name, `${type}s.${index}.name`) }))
  const inFile = new Map<string, number>()
  for (const { name } of named) inFile.set(name, (inFile.get(name) ?? 0) + 1)
  const conflicts = new Map<string, NameConflict>()
  for (const { name } of named) {
    const existingIds = idsByName.get(name)
    if (!existingIds || conflicts.has(name)) continue
    // Replacing is one file entry onto one row: several of either makes it a guess.
    const choices: Resolution[] = existingIds.length === 1 && inFile.get(name) === 1 ? ['skip', 'rename', 'replace'] : ['skip', 'rename']
    conflicts.set(name, { type, name, existingIds, choices, resolution: Object.hasOwn(resolutions, name) ? resolutions[name] : null })
  }
  for (const [name, resolution] of Object.entries(resolutions)) {
    const field = `resolutions.${type}s.${name}`
    const conflict = conflicts.get(name)
    if (!conflict) throw fail(field, `no ${type} named "${name}" in the file has a namesake in this workspace`)
    if (!conflict.choices.includes(resolution)) throw fail(field, `"${name}" names several ${type}s here or in the file: choose ${conflict.choices.join(' or ')}`)
  }
  const taken = new Set([...existing.map((e) => e.name), ...named.filter((n) => !conflicts.has(n.name)).map((n) => n.name)])
  const plans = named.map(({ entry, index, name }): Plan<E> => {
    const conflict = conflicts.get(name)
    const existingIds = conflict?.existingIds ?? []
    const action = conflict ? (conflict.resolution ?? 'conflict') : 'create'
    const as = action === 'rename' ? freeName(name, taken) : name
    const id = action === 'replace' || (action === 'skip' && existingIds.length === 1) ? existingIds[0] : null
    return { entry, index, planned: { ref: entry.ref, name: entry.name, action, as, id, versions: entry.versions.length } }
  })
  return { plans, conflicts: [...conflicts.values()] }
}

/** The first of `name`, `name (2)`, `name (3)`… that is not taken (and takes it). */
export function freeName(name: string, taken: Set<string>): string {
  let candidate = name
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = ` (${n})`
    candidate = `${name.slice(0, 200 - suffix.length)}${suffix}`
  }
  taken.add(candidate)
  return candidate
}

/** Node types a graph uses, sorted and distinct (TemplateVersion.nodeTypes, the gallery's filter). */
export function nodeTypesOf(graph: WorkflowGraph): string[] {
  return [...new Set(graph.nodes.map((n) => n.type))].sort()
}

/** `<slug>.auterity-workspace.json`, after the workspace's name. */
export function workspaceFileName(workspaceName: string): string {
  return exportFileName(workspaceName).replace(/\.auterity\.json$/, '.auterity-workspace.json').replace(/^workflow\./, 'workspace.')
}

/**
 * The file as text, piece by piece: each workflow and template is written as its versions arrive, so an export
 * holds one page of versions in memory, never the whole workspace. Credentials come last, once every graph has
 * named the ones it uses. Keys are in the schema's order; the output is one JSON document.
 */
export async function* workspaceFileText(parts: {
  workspace: { name: string }
  exportedAt: string
  workflows: AsyncIterable<{ entry: Omit<WorkspaceWorkflowEntry, 'versions'>; versions: AsyncIterable<WorkspaceWorkflowEntry['versions'][number]> }>
  templates: AsyncIterable<{ entry: Omit<WorkspaceTemplateEntry, 'versions'>; versions: AsyncIterable<WorkspaceTemplateEntry['versions'][number]> }>
  credentials: () => WorkspaceFile['credentials']
}): AsyncGenerator<string> {
  const head = { format: WORKSPACE_FILE_FORMAT, formatVersion: WORKSPACE_FILE_VERSION, exportedAt: parts.exportedAt, workspace: parts.workspace }
  yield `${JSON.stringify(head).slice(0, -1)},\n"workflows":[`
  yield* entries(parts.workflows)
  yield '],\n"templates":['
  yield* entries(parts.templates)
  yield `],\n"credentials":${JSON.stringify(parts.credentials())}}\n`
}

async function* entries(list: AsyncIterable<{ entry: object; versions: AsyncIterable<object> }>): AsyncGenerator<string> {
  let first = true
  for await (const { entry, versions } of list) {
    yield `${first ? '' : ','}\n${JSON.stringify(entry).slice(0, -1)},"versions":[`
    first = false
    let firstVersion = true
    for await (const version of versions) {
      yield `${firstVersion ? '' : ','}\n${JSON.stringify(version)}`
      firstVersion = false
    }
    yield ']}'
  }
}
