// Export a whole workspace as one file and import it into another workspace or instance (docs/workspace-transfer.md).
// The export streams: refs are numbered first, then each workflow and template is written page by page of versions.
// The import plans everything before it writes (name conflicts and their resolutions, credentials by kind and name,
// sub-workflow and template references), answers a dry run with that plan, and writes it in one transaction.
import { z } from 'zod'
import type { Prisma, PrismaClient } from '../db/generated/client'
import { forTenant, type TenantDb } from '../db/scope'
import type { WorkflowGraph } from '../engine/graph-schema'
import { RESERVED_KEYS } from '../engine/safe-keys'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { zodToValidationError } from '../http/route'
import { nodeRegistry } from '../nodes/registry'
import { BUILTIN_PREFIX } from '../templates/types'
import { credentialRefOf, findReservedKey, type CredentialEntry } from './workflow-file'
import { mapCredentials, missingWorkflows, unknownNodeTypes, type ImportReport, type MissingCredential } from './workflow-transfer'
import { workflowSettingsBody } from './workflow-settings'
import type { Actor } from './workflows'
import {
  graphForFile, graphFromFile, nodeTypesOf, parseWorkspaceFile, planKind, RESOLUTIONS, subWorkflowId, workspaceFileName, workspaceFileText,
  type Kind, type NameConflict, type Plan, type PlannedEntry, type Resolution, type WorkspaceFile, type WorkspaceTemplateEntry, type WorkspaceWorkflowEntry,
} from './workspace-file'

const credentialParamOf = (type: string) => nodeRegistry.get(type)?.credential?.param
const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

/** Rows read per query on export: a page of workflows or templates, a page of one's versions (graphs can be large). */
const ROW_PAGE = 100
const VERSION_PAGE = 20
/** Versions written per INSERT on import. */
const INSERT_BATCH = 100
/** A big workspace is many inserts: the default 5 s of an interactive transaction is not enough. */
const IMPORT_TX_TIMEOUT_MS = 10 * 60_000

// ——— export ———

export async function exportWorkspace(prisma: PrismaClient, tenantId: string): Promise<{ fileName: string; body: ReadableStream<Uint8Array> }> {
  const db = forTenant(prisma, tenantId)
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { name: true } })
  if (!tenant) throw new NotFoundError('Workspace')
  // Refs are numbered before any graph is written: a graph may call a workflow listed after it.
  const byCreation = [{ createdAt: 'asc' }, { id: 'asc' }] as const
  const [workflowRows, templateRows, credentialRows] = await Promise.all([
    db.workflow.findMany({ select: { id: true }, orderBy: [...byCreation] }),
    db.template.findMany({ select: { id: true }, orderBy: [...byCreation] }),
    db.credential.findMany({ select: { id: true, name: true, kind: true }, orderBy: [...byCreation] }),
  ])
  const workflowRefs = numbered(workflowRows.map((r) => r.id), 'workflow')
  const templateRefs = numbered(templateRows.map((r) => r.id), 'template')
  const credentials: WorkspaceFile['credentials'] = credentialRows.map((c, i) => ({ ref: `credential-${i + 1}`, name: c.name, kind: c.kind }))
  const credentialRefs = new Map(credentialRows.map((c, i) => [c.id, credentials[i].ref]))
  // A node may point at a credential deleted since: it gets a ref of its own, with neither name nor kind.
  const credentialRef = (id: string) => {
    if (!credentialRefs.has(id)) {
      credentialRefs.set(id, `credential-${credentialRefs.size + 1}`)
      credentials.push({ ref: credentialRefs.get(id)!, name: null, kind: null })
    }
    return credentialRefs.get(id)!
  }
  const toFile = (graph: unknown) => graphForFile(graph as WorkflowGraph, credentialParamOf, credentialRef, (id) => workflowRefs.get(id))

  async function* workflows() {
    for (const ids of pages(workflowRows.map((r) => r.id))) {
      const rows = await db.workflow.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, description: true, settings: true, active: true, currentVersion: true, publishedVersion: true, templateId: true, templateVersion: true },
        orderBy: [...byCreation],
      })
      for (const wf of rows) {
        const settings = { ...(wf.settings as Record<string, unknown>) }
        if (typeof settings.errorWorkflowId === 'string') settings.errorWorkflowId = workflowRefs.get(settings.errorWorkflowId) ?? settings.errorWorkflowId
        const templateId = wf.templateId && !wf.templateId.startsWith(BUILTIN_PREFIX) ? (templateRefs.get(wf.templateId) ?? null) : wf.templateId
        const { id, ...rest } = wf
        const entry = { ...rest, ref: workflowRefs.get(id)!, settings, templateId }
        const versions = versionPages((after) =>
          db.workflowVersion.findMany({ where: { workflowId: id, number: { gt: after } }, select: { number: true, graph: true, message: true, createdAt: true }, orderBy: { number: 'asc' }, take: VERSION_PAGE }),
        )
        yield { entry, versions: mapAsync(versions, (v) => ({ number: v.number, graph: toFile(v.graph), message: v.message, createdAt: v.createdAt.toISOString() })) }
      }
    }
  }

  async function* templates() {
    for (const ids of pages(templateRows.map((r) => r.id))) {
      const rows = await db.template.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, description: true, category: true, tags: true, currentVersion: true },
        orderBy: [...byCreation],
      })
      for (const { id, ...rest } of rows) {
        const versions = versionPages((after) =>
          db.templateVersion.findMany({
            where: { templateId: id, number: { gt: after } },
            select: { number: true, graph: true, parameters: true, credentials: true, testCases: true, changelog: true, createdAt: true },
            orderBy: { number: 'asc' },
            take: VERSION_PAGE,
          }),
        )
        // A template's graph holds `{ $credentialRef }` slots of its own, never credential ids: it goes out as it is.
        yield { entry: { ...rest, ref: templateRefs.get(id)! }, versions: mapAsync(versions, (v) => ({ ...v, createdAt: v.createdAt.toISOString() }) as WorkspaceTemplateEntry['versions'][number]) }
      }
    }
  }

  const text = workspaceFileText({ workspace: { name: tenant.name }, exportedAt: new Date().toISOString(), workflows: workflows(), templates: templates(), credentials: () => credentials })
  return { fileName: workspaceFileName(tenant.name), body: toStream(text) }
}

function numbered(ids: string[], prefix: string): Map<string, string> {
  return new Map(ids.map((id, i) => [id, `${prefix}-${i + 1}`]))
}

function* pages<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += ROW_PAGE) yield items.slice(i, i + ROW_PAGE)
}

async function* versionPages<V extends { number: number }>(read: (after: number) => Promise<V[]>): AsyncGenerator<V> {
  for (let after = 0; ;) {
    const page = await read(after)
    yield* page
    if (page.length < VERSION_PAGE) return
    after = page[page.length - 1].number
  }
}

async function* mapAsync<A, B>(items: AsyncIterable<A>, fn: (a: A) => B): AsyncGenerator<B> {
  for await (const item of items) yield fn(item)
}

/** Pulled as the client reads: a slow download holds one page in memory, not the workspace. */
function toStream(text: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await text.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await text.return(undefined)
    },
  })
}

// ——— import ———

const resolutionsByName = z.record(z.string().max(1000), z.enum(RESOLUTIONS)).default({})

/** POST /api/workspace/import. `file`: the exported workspace, as JSON or as its text. */
export const importWorkspaceBody = z.object({
  file: z.unknown().refine((f) => f !== undefined, 'file is required: the exported workspace (JSON, or its text)'),
  dryRun: z.boolean().default(false),
  resolutions: z
    .unknown()
    .refine((m) => findReservedKey(m) === null, `must not use the reserved names ${[...RESERVED_KEYS].join(', ')}`)
    .pipe(z.object({ workflows: resolutionsByName, templates: resolutionsByName }).strict())
    .optional(),
})
export interface WorkspaceImportOptions {
  dryRun?: boolean
  /** Per name in the file that exists here: what to do with it. */
  resolutions?: { workflows?: Record<string, Resolution>; templates?: Record<string, Resolution> }
}

export interface WorkspaceImportReport {
  dryRun: boolean
  workflows: PlannedEntry[]
  templates: PlannedEntry[]
  conflicts: NameConflict[]
  credentials: Array<CredentialEntry & { status: 'mapped' | 'missing'; credentialId?: string; reason?: MissingCredential['reason']; usedBy: Array<{ workflow: string; nodes: string[] }> }>
  unknownNodeTypes: Array<ImportReport['unknownNodeTypes'][number] & { in: Kind; name: string }>
  missingWorkflows: Array<ImportReport['missingWorkflows'][number] & { workflow: string }>
  droppedSettings: Array<ImportReport['droppedSettings'][number] & { workflow: string }>
}

const writes = (p: Plan<unknown>) => p.planned.action === 'create' || p.planned.action === 'rename' || p.planned.action === 'replace'
const current = <V extends { number: number }>(entry: { currentVersion: number; versions: V[] }) => entry.versions.find((v) => v.number === entry.currentVersion)!

export async function importWorkspace(prisma: PrismaClient, actor: Actor, input: unknown, opts: WorkspaceImportOptions = {}): Promise<WorkspaceImportReport> {
  const file = parseWorkspaceFile(input)
  const db = forTenant(prisma, actor.tenantId)
  const [existingWorkflows, existingTemplates] = await Promise.all([
    db.workflow.findMany({ select: { id: true, name: true } }),
    db.template.findMany({ select: { id: true, name: true } }),
  ])
  const wf = planKind('workflow', file.workflows, existingWorkflows, opts.resolutions?.workflows ?? {})
  const tpl = planKind('template', file.templates, existingTemplates, opts.resolutions?.templates ?? {})
  const conflicts = [...wf.conflicts, ...tpl.conflicts]

  const credentials = await mapCredentials(db, file.credentials, {})
  const declared = new Set(file.credentials.map((c) => c.ref))
  const imported = wf.plans.filter(writes)
  // Known now: the namesakes replaced or kept. Created workflows' ids are added as they are written.
  const workflowIds = new Map(wf.plans.filter((p) => p.planned.id).map((p) => [p.entry.ref, p.planned.id!]))
  const templates = new Map<string, WrittenTemplate>(tpl.plans.filter((p) => p.planned.id).map((p) => [p.entry.ref, { id: p.planned.id!, numberOf: (n) => n }]))
  const fileRefs = new Set(file.workflows.map((w) => w.ref))
  // The report covers what is or may be imported: a dry run's unresolved conflicts too (a choice may import them).
  const reported = wf.plans.filter((p) => p.planned.action !== 'skip')
  const settings = new Map(reported.map((p) => [p, settingsFor(p, fileRefs)]))
  // A reference to a workflow skipped without a single namesake here has nothing to point at.
  const unreachable = new Set(wf.plans.filter((p) => p.planned.action === 'skip' && !p.planned.id).map((p) => p.entry.ref))

  const report: WorkspaceImportReport = {
    dryRun: opts.dryRun === true,
    workflows: wf.plans.map((p) => p.planned),
    templates: tpl.plans.map((p) => p.planned),
    conflicts,
    credentials: credentialReport(file, reported, credentials),
    unknownNodeTypes: [
      ...reported.flatMap((p) => unknownNodeTypes(current(p.entry).graph).map((u) => ({ ...u, in: 'workflow' as const, name: p.planned.as }))),
      ...tpl.plans.filter((p) => p.planned.action !== 'skip').flatMap((p) => unknownNodeTypes(current(p.entry).graph).map((u) => ({ ...u, in: 'template' as const, name: p.planned.as }))),
    ],
    missingWorkflows: await unresolvedSubWorkflows(db, reported, fileRefs, unreachable),
    droppedSettings: reported.flatMap((p) => settings.get(p)!.dropped.map((d) => ({ ...d, workflow: p.planned.as }))),
  }
  if (report.dryRun) return report
  const unresolved = conflicts.filter((c) => c.resolution === null)
  if (unresolved.length > 0) {
    const names = unresolved.map((c) => `${c.type} "${c.name}"`).join(', ')
    throw new ConflictError(`Name conflicts need a resolution (skip, rename or replace): ${names}`, { conflicts: unresolved })
  }

  try {
    await db.$transaction(
      async (tx) => {
        for (const p of tpl.plans.filter(writes)) templates.set(p.entry.ref, await writeTemplate(tx, actor, p))
        const linkOf = (entry: WorkspaceWorkflowEntry) => templateLink(entry, templates)
        // Rows first, then graphs: a graph may call any workflow of the file, created before or after it.
        for (const p of imported) {
          if (p.planned.action === 'replace') continue
          const { entry } = p
          const row = await tx.workflow.create({
            data: { tenantId: actor.tenantId, name: p.planned.as, description: entry.description, active: false, currentVersion: entry.currentVersion, publishedVersion: entry.publishedVersion, ...linkOf(entry) },
            select: { id: true },
          })
          workflowIds.set(entry.ref, row.id)
          p.planned.id = row.id
        }
        for (const p of imported) {
          const graphOf = (graph: WorkflowGraph) => graphFromFile(graph, declared, credentials.ids, workflowIds)
          const own = settings.get(p)!
          const errorWorkflowId = own.errorWorkflowRef ? workflowIds.get(own.errorWorkflowRef) : undefined
          const stored = { ...own.settings, ...(errorWorkflowId ? { errorWorkflowId } : {}) } as Prisma.InputJsonObject
          if (p.planned.action === 'replace') await replaceWorkflow(tx, actor, p, stored, graphOf, linkOf(p.entry))
          else {
            await tx.workflow.update({ where: { id: p.planned.id! }, data: { settings: stored } })
            await insertBatches(p.entry.versions, (batch) =>
              tx.workflowVersion.createMany({
                data: batch.map((v) => ({ tenantId: actor.tenantId, workflowId: p.planned.id!, number: v.number, graph: graphOf(v.graph) as object, message: v.message, authorId: actor.userId, createdAt: dateOr(v.createdAt) })),
              }),
            )
          }
        }
      },
      { timeout: IMPORT_TX_TIMEOUT_MS, maxWait: 10_000 },
    )
  } catch (err) {
    // The workspace changed between the plan and the writes (a template of the same name saved, a workflow to
    // replace deleted): nothing was written; the plan is stale.
    const code = (err as { code?: string }).code
    if (code === 'P2002' || code === 'P2025') throw new ConflictError('The workspace changed while importing (a name was taken or a workflow to replace was deleted): nothing was imported; run the import again')
    throw err
  }
  return report
}

/** The scoped client inside `db.$transaction(async (tx) => …)`. */
type Tx = Parameters<Extract<Parameters<TenantDb['$transaction']>[0], (tx: never) => unknown>>[0]

/** Replace: the file's versions appended after the workflow's own, its history kept; what runs in production is unchanged. */
async function replaceWorkflow(
  tx: Tx,
  actor: Actor,
  p: Plan<WorkspaceWorkflowEntry>,
  settings: Prisma.InputJsonObject,
  graphOf: (graph: WorkflowGraph) => WorkflowGraph,
  link: ReturnType<typeof templateLink>,
) {
  const id = p.planned.id!
  await tx.$executeRaw`SELECT 1 FROM "Workflow" WHERE "id" = ${id} AND "tenantId" = ${actor.tenantId} FOR UPDATE`
  const row = await tx.workflow.findFirstOrThrow({ where: { id }, select: { currentVersion: true } })
  const versions = [...p.entry.versions].sort((a, b) => a.number - b.number)
  await insertBatches(versions.map((v, i) => ({ ...v, number: row.currentVersion + i + 1 })), (batch) =>
    tx.workflowVersion.createMany({
      data: batch.map((v) => ({ tenantId: actor.tenantId, workflowId: id, number: v.number, graph: graphOf(v.graph) as object, message: `Imported: ${v.message || '(no message)'}`, authorId: actor.userId })),
    }),
  )
  await tx.workflow.update({ where: { id }, data: { description: p.entry.description, settings, currentVersion: row.currentVersion + versions.length, ...(p.entry.templateId ? link : {}) } })
}

/** A template of the file as written here: its id, and where each of its version numbers went (a replace appends). */
interface WrittenTemplate {
  id: string
  numberOf: (fileNumber: number) => number
}

/** A workflow's template link: a built-in as it is, a template of the file to its copy here (or the one kept), else none. */
function templateLink(entry: WorkspaceWorkflowEntry, templates: ReadonlyMap<string, WrittenTemplate>) {
  const { templateId, templateVersion } = entry
  if (!templateId) return { templateId: null, templateVersion: null }
  if (templateId.startsWith(BUILTIN_PREFIX)) return { templateId, templateVersion: templateVersion ?? null }
  const written = templates.get(templateId)
  return written ? { templateId: written.id, templateVersion: templateVersion == null ? null : written.numberOf(templateVersion) } : { templateId: null, templateVersion: null }
}

/** Created (or replaced by appending, as a workflow is): every version, with the node types the gallery filters on. */
async function writeTemplate(tx: Tx, actor: Actor, p: Plan<WorkspaceTemplateEntry>): Promise<WrittenTemplate> {
  const { entry } = p
  const sorted = [...entry.versions].sort((a, b) => a.number - b.number)
  const meta = { description: entry.description, category: entry.category, tags: entry.tags }
  let id = p.planned.id
  let numberOf = (n: number) => n
  if (p.planned.action === 'replace') {
    await tx.$executeRaw`SELECT 1 FROM "Template" WHERE "id" = ${id} AND "tenantId" = ${actor.tenantId} FOR UPDATE`
    const row = await tx.template.findFirstOrThrow({ where: { id: id! }, select: { latestVersion: true } })
    const appended = new Map(sorted.map((v, i) => [v.number, row.latestVersion + i + 1]))
    numberOf = (n) => appended.get(n) ?? n
    await tx.template.update({ where: { id: id! }, data: { ...meta, currentVersion: numberOf(entry.currentVersion), latestVersion: numberOf(sorted[sorted.length - 1].number) } })
  } else {
    const row = await tx.template.create({
      data: { tenantId: actor.tenantId, name: p.planned.as, ...meta, currentVersion: entry.currentVersion, latestVersion: sorted[sorted.length - 1].number, createdById: actor.userId },
      select: { id: true },
    })
    id = p.planned.id = row.id
  }
  await insertBatches(sorted, (batch) =>
    tx.templateVersion.createMany({
      data: batch.map((v) => ({
        tenantId: actor.tenantId, templateId: id!, number: numberOf(v.number), graph: v.graph as object, parameters: v.parameters as object[], credentials: v.credentials as object[],
        testCases: v.testCases as object[], nodeTypes: nodeTypesOf(v.graph), changelog: v.changelog, authorId: actor.userId, createdAt: p.planned.action === 'replace' ? undefined : dateOr(v.createdAt),
      })),
    }),
  )
  return { id: id!, numberOf }
}

async function insertBatches<T>(items: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += INSERT_BATCH) await insert(items.slice(i, i + INSERT_BATCH))
}

function dateOr(iso: string | undefined): Date | undefined {
  const date = iso ? new Date(iso) : undefined
  return date && !Number.isNaN(date.getTime()) ? date : undefined
}

/** Settings checked like PUT's; an error workflow is a ref of the file (remapped on write) or dropped and reported. */
function settingsFor(p: Plan<WorkspaceWorkflowEntry>, fileRefs: ReadonlySet<string>) {
  const parsed = workflowSettingsBody.safeParse(p.entry.settings)
  if (!parsed.success) throw zodToValidationError(parsed.error, `workflows.${p.index}.settings`)
  const { errorWorkflowId, ...settings } = parsed.data
  const dropped: ImportReport['droppedSettings'] = []
  if (errorWorkflowId && !fileRefs.has(errorWorkflowId)) dropped.push({ key: 'errorWorkflowId', value: errorWorkflowId, reason: 'the error workflow is not in the file' })
  return { settings, errorWorkflowRef: errorWorkflowId && fileRefs.has(errorWorkflowId) ? errorWorkflowId : undefined, dropped }
}

/** Each credential of the file: mapped by kind and name, or missing (its params are removed), with who uses it. */
function credentialReport(file: WorkspaceFile, imported: Array<Plan<WorkspaceWorkflowEntry>>, mapped: Awaited<ReturnType<typeof mapCredentials>>): WorkspaceImportReport['credentials'] {
  const usedBy = new Map<string, Array<{ workflow: string; nodes: string[] }>>()
  for (const p of imported) {
    const byRef = new Map<string, string[]>()
    for (const node of current(p.entry).graph.nodes) {
      for (const value of Object.values(node.params)) {
        const ref = credentialRefOf(value)
        if (ref !== null) byRef.set(ref, [...(byRef.get(ref) ?? []), node.name])
      }
    }
    for (const [ref, nodes] of byRef) usedBy.set(ref, [...(usedBy.get(ref) ?? []), { workflow: p.planned.as, nodes }])
  }
  return file.credentials.map((c) => {
    const id = mapped.ids.get(c.ref)
    const base = { ...c, usedBy: usedBy.get(c.ref) ?? [] }
    return id ? { ...base, status: 'mapped', credentialId: id } : { ...base, status: 'missing', reason: mapped.unmatched.get(c.ref) ?? 'not-found' }
  })
}

/** Execute Workflow nodes that will not find their workflow: a ref to one skipped without a single namesake, or an id from elsewhere. */
async function unresolvedSubWorkflows(db: TenantDb, plans: Array<Plan<WorkspaceWorkflowEntry>>, fileRefs: ReadonlySet<string>, unreachable: ReadonlySet<string>) {
  const found: WorkspaceImportReport['missingWorkflows'] = []
  for (const p of plans) {
    const graph = current(p.entry).graph
    const calls = graph.nodes.filter((n) => {
      const target = subWorkflowId(n)
      return target !== null && (!fileRefs.has(target) || unreachable.has(target))
    })
    const foreign = await missingWorkflows(db, { ...graph, nodes: calls.filter((n) => !fileRefs.has(subWorkflowId(n)!)) })
    const unresolvedRefs = [...new Set(calls.map((n) => subWorkflowId(n)!).filter((id) => fileRefs.has(id)))].map((workflowId) => ({
      workflowId, nodes: calls.filter((n) => n.params.workflowId === workflowId).map((n) => ({ id: n.id, name: n.name })),
    }))
    found.push(...[...unresolvedRefs, ...foreign].map((m) => ({ ...m, workflow: p.planned.as })))
  }
  return found
}
