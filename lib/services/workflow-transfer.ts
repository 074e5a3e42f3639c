// Export a workflow version as a file, import such a file as a new workflow (docs/architecture.md, "Workflow
// files"). Credentials travel as references (kind + name), never as ids or secrets; an import maps them to the
// importing workspace's credentials and reports what it could not map, as it reports unknown node types.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import type { WorkflowGraph } from '../engine/graph-schema'
import { lookupDefinition } from '../engine/registry'
import { RESERVED_KEYS } from '../engine/safe-keys'
import { NotFoundError, ValidationError } from '../errors'
import { zodToValidationError } from '../http/route'
import { nodeRegistry } from '../nodes/registry'
import type { ActivationDeps } from './activation'
import type { GraphProblem } from './validation'
import {
  cleanName, findReservedKey, fromCredentialRefs, parseWorkflowFile, renewIds, toCredentialRefs,
  WORKFLOW_FILE_FORMAT, WORKFLOW_FILE_VERSION, type CredentialEntry, type WorkflowFile,
} from './workflow-file'
import { applySettings, workflowSettingsBody, type WorkflowSettingsInput } from './workflow-settings'
import { createWorkflow, type Actor } from './workflows'

const credentialParamOf = (type: string) => nodeRegistry.get(type)?.credential?.param

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

/** POST /api/workflows/import. `file`: the exported document, as JSON or as its text. */
export const importWorkflowBody = z.object({
  file: z.unknown().refine((f) => f !== undefined, 'file is required: the exported workflow (JSON, or its text)'),
  name: z.string().max(1000).optional(),
  credentialMap: z
    .unknown()
    .refine((m) => findReservedKey(m) === null, `must not use the reserved names ${[...RESERVED_KEYS].join(', ')}`)
    .pipe(z.record(z.string().min(1).max(100), z.string().min(1).max(100)))
    .optional(),
})
export type ImportOptions = Omit<z.infer<typeof importWorkflowBody>, 'file'>

export const exportQuery = z.object({ version: z.coerce.number().int().min(1).optional() })

export async function exportWorkflow(prisma: PrismaClient, tenantId: string, workflowId: string, opts: { version?: number } = {}) {
  const db = forTenant(prisma, tenantId)
  const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { name: true, description: true, settings: true, currentVersion: true } })
  if (!wf) throw new NotFoundError('Workflow')
  const number = opts.version ?? wf.currentVersion
  const version = await db.workflowVersion.findFirst({ where: { workflowId, number }, select: { graph: true } })
  if (!version) throw new NotFoundError(`Version ${number}`)
  // As saved (saving parsed it): re-parsing would write out every default a node left implicit.
  const { graph, refs } = toCredentialRefs(version.graph as WorkflowGraph, credentialParamOf)
  const rows = await db.credential.findMany({ where: { id: { in: refs.map((r) => r.credentialId) } }, select: { id: true, name: true, kind: true } })
  const byId = new Map(rows.map((r) => [r.id, r]))
  const credentials: CredentialEntry[] = refs.map(({ ref, credentialId }) => ({ ref, kind: byId.get(credentialId)?.kind ?? null, name: byId.get(credentialId)?.name ?? null }))
  const file = {
    format: WORKFLOW_FILE_FORMAT,
    formatVersion: WORKFLOW_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    workflow: { name: wf.name, description: wf.description, settings: wf.settings as Record<string, unknown>, graph },
    credentials,
  } satisfies WorkflowFile
  return { file, version: number }
}

export interface MissingCredential extends CredentialEntry {
  reason: 'not-found' | 'ambiguous' | 'unknown-at-export'
  nodes: Array<{ id: string; name: string }>
}

export interface ImportReport {
  missingCredentials: MissingCredential[]
  unknownNodeTypes: Array<{ type: string; typeVersion: number; reason: 'unknown-type' | 'unknown-version'; nodes: Array<{ id: string; name: string }> }>
  /** Execute Workflow nodes whose workflow is not in this workspace. */
  missingWorkflows: Array<{ workflowId: string; nodes: Array<{ id: string; name: string }> }>
  /** Settings that point at what this workspace lacks (an error workflow), left out with the reason. */
  droppedSettings: Array<{ key: string; value: unknown; reason: string }>
  /** The name differs from the file's: given by the caller, or cleaned of control characters. */
  renamed?: { from: string; to: string }
}

export interface ImportResult {
  id: string
  version: number
  problems: GraphProblem[]
  report: ImportReport
}

export async function importWorkflow(deps: ActivationDeps, actor: Actor, input: unknown, opts: ImportOptions = {}): Promise<ImportResult> {
  const file = parseWorkflowFile(input)
  const name = cleanName(opts.name ?? file.workflow.name, opts.name === undefined ? 'workflow.name' : 'name')
  const db = forTenant(deps.prisma, actor.tenantId)
  const { settings, droppedSettings } = await importSettings(db, file.workflow.settings)
  const mapped = await mapCredentials(db, file.credentials, opts.credentialMap ?? {})
  const declared = new Set(file.credentials.map((c) => c.ref))
  const withCredentials = fromCredentialRefs(file.workflow.graph, declared, mapped.ids)
  const { graph, nodeIds } = renewIds(withCredentials.graph)
  const renewed = (nodes: Array<{ id: string; name: string }>) => nodes.map((n) => ({ id: nodeIds.get(n.id) ?? n.id, name: n.name }))
  const missingCredentials = file.credentials
    .filter((c) => !mapped.ids.has(c.ref) && withCredentials.usedBy.has(c.ref))
    .map((c): MissingCredential => ({ ...c, reason: mapped.unmatched.get(c.ref) ?? 'not-found', nodes: renewed(withCredentials.usedBy.get(c.ref)!) }))
  const report: ImportReport = {
    missingCredentials,
    unknownNodeTypes: unknownNodeTypes(graph),
    missingWorkflows: await missingWorkflows(db, graph),
    droppedSettings,
  }
  if (name !== file.workflow.name) report.renamed = { from: file.workflow.name, to: name }
  const message = `Imported${file.exportedAt ? ` (exported ${file.exportedAt})` : ''}`
  const created = await createWorkflow(deps, actor, { name, description: file.workflow.description, graph, message, settings })
  return { id: created.id, version: created.version, problems: created.problems, report }
}

type Db = ReturnType<typeof forTenant>

/** Settings are checked like PUT's; an error workflow this workspace does not have is left out and reported. */
async function importSettings(db: Db, raw: Record<string, unknown>) {
  const parsed = workflowSettingsBody.safeParse(raw)
  if (!parsed.success) throw zodToValidationError(parsed.error, 'workflow.settings')
  const settings: WorkflowSettingsInput = { ...parsed.data }
  const droppedSettings: ImportReport['droppedSettings'] = []
  if (settings.errorWorkflowId) {
    try {
      await applySettings(db, {}, { errorWorkflowId: settings.errorWorkflowId })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      droppedSettings.push({ key: 'errorWorkflowId', value: settings.errorWorkflowId, reason: Object.values(err.fields ?? {})[0] ?? err.message })
      delete settings.errorWorkflowId
    }
  }
  return { settings: Object.keys(settings).length > 0 ? settings : undefined, droppedSettings }
}

/**
 * ref → credential id of this workspace: the caller's explicit map first (each entry must exist here and be of
 * the file's kind, else a 400 naming it), then the one credential with the same kind and name.
 */
export async function mapCredentials(db: Db, entries: CredentialEntry[], explicit: Record<string, string>) {
  const byRef = new Map(entries.map((e) => [e.ref, e]))
  const ids = new Map<string, string>()
  const unmatched = new Map<string, MissingCredential['reason']>()
  const given = await db.credential.findMany({ where: { id: { in: Object.values(explicit) } }, select: { id: true, kind: true } })
  const kindOf = new Map(given.map((c) => [c.id, c.kind]))
  for (const [ref, id] of Object.entries(explicit)) {
    const field = `credentialMap.${ref}`
    const entry = byRef.get(ref)
    if (!entry) throw fail(field, `the file has no credential ref "${ref}" (it has: ${[...byRef.keys()].join(', ') || 'none'})`)
    const kind = kindOf.get(id)
    if (!kind) throw fail(field, `credential ${id} not found in this workspace`)
    if (entry.kind && kind !== entry.kind) throw fail(field, `credential ${id} is a ${kind} credential; the file needs ${entry.kind}`)
    ids.set(ref, id)
  }
  const wanted = entries.filter((e) => !ids.has(e.ref))
  const named = wanted.filter((e): e is CredentialEntry & { kind: string; name: string } => e.kind !== null && e.name !== null)
  const candidates = named.length === 0 ? [] : await db.credential.findMany({
    where: { OR: named.map((e) => ({ kind: e.kind, name: e.name })) },
    select: { id: true, kind: true, name: true },
  })
  for (const entry of wanted) {
    const same = candidates.filter((c) => c.kind === entry.kind && c.name === entry.name)
    if (same.length === 1) ids.set(entry.ref, same[0].id)
    else unmatched.set(entry.ref, entry.kind === null ? 'unknown-at-export' : same.length > 1 ? 'ambiguous' : 'not-found')
  }
  return { ids, unmatched }
}

export function unknownNodeTypes(graph: WorkflowGraph): ImportReport['unknownNodeTypes'] {
  const found = new Map<string, ImportReport['unknownNodeTypes'][number]>()
  for (const node of graph.nodes) {
    const lookup = lookupDefinition(nodeRegistry, node.type, node.typeVersion)
    if (lookup.ok) continue
    const key = `${node.type}@${node.typeVersion}`
    const entry = found.get(key) ?? { type: node.type, typeVersion: node.typeVersion, reason: lookup.reason, nodes: [] }
    entry.nodes.push({ id: node.id, name: node.name })
    found.set(key, entry)
  }
  return [...found.values()]
}

export async function missingWorkflows(db: Db, graph: WorkflowGraph): Promise<ImportReport['missingWorkflows']> {
  const calls = graph.nodes.filter((n) => n.type === 'execute-workflow' && typeof n.params.workflowId === 'string' && n.params.workflowId !== '')
  if (calls.length === 0) return []
  const wanted = [...new Set(calls.map((n) => n.params.workflowId as string))]
  const present = new Set((await db.workflow.findMany({ where: { id: { in: wanted } }, select: { id: true } })).map((w) => w.id))
  return wanted
    .filter((id) => !present.has(id))
    .map((workflowId) => ({ workflowId, nodes: calls.filter((n) => n.params.workflowId === workflowId).map((n) => ({ id: n.id, name: n.name })) }))
}
