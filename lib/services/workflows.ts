// Workflows and their immutable versions. Every save of a graph is a new WorkflowVersion; a save based on an older
// version than the current one is a 409 so two editors never overwrite each other silently. Saving a version clears
// the autosaved draft (./workflow-drafts.ts). Saving never changes what runs in production: that is the published
// version of an active workflow (lib/services/activation.ts).
import { Prisma, type PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { ConflictError, NotFoundError } from '../errors'
import { checkGraph, type GraphProblem } from './validation'
import { ValidationError } from '../errors'
import { webhookSpecs } from './webhook-sync'
import { announceTriggerChange, goLive, type ActivationDeps } from './activation'
import { deleteRunData, type RunFileCleanup } from './executions'
import { applySettings, type WorkflowSettingsInput } from './workflow-settings'

export interface Actor {
  tenantId: string
  userId: string | null
}

const listSelect = {
  id: true, name: true, description: true, active: true, currentVersion: true, publishedVersion: true, settings: true, tags: true, createdAt: true, updatedAt: true,
} as const

/**
 * Schema errors are a 400; semantic problems (an unconnected node…) are saved and reported, and block runs. A
 * webhook path that cannot be a URL is a 400 too; one that another workflow uses is refused only on activation.
 */
export function graphForSave(raw: unknown, workflowId: string) {
  const { graph, problems } = checkGraph(raw)
  if (!graph) {
    throw new ValidationError(`${problems[0].path}: ${problems[0].message}`, Object.fromEntries(problems.map((p) => [p.path, p.message])), { problems })
  }
  webhookSpecs(graph, workflowId)
  return { graph, problems }
}

/**
 * `active`: publish version 1 and activate it in the same transaction (refused as a whole when it cannot go live).
 * `settings`: checked like PUT's (an import brings them), written with the workflow.
 */
export async function createWorkflow(
  deps: ActivationDeps,
  actor: Actor,
  input: {
    name: string; description?: string; graph: unknown; message?: string; active?: boolean; settings?: WorkflowSettingsInput
    /** Made from a template: its id, version and the inputs it was made with, written with the workflow. */
    template?: { id: string; version: number; inputs: object }
  },
): Promise<{ id: string; version: number; problems: GraphProblem[]; active: boolean; publishedVersion: number | null }> {
  const { prisma } = deps
  const { graph, problems } = graphForSave(input.graph, 'new')
  const db = forTenant(prisma, actor.tenantId)
  const id = await db.$transaction(async (tx) => {
    const settings = input.settings ? await applySettings(tx, {}, input.settings) : undefined
    const wf = await tx.workflow.create({
      data: {
        tenantId: actor.tenantId, name: input.name, description: input.description ?? '', currentVersion: 1, settings: settings as Prisma.InputJsonObject | undefined,
        ...(input.template ? { templateId: input.template.id, templateVersion: input.template.version, templateInputs: input.template.inputs } : {}),
      },
      select: { id: true },
    })
    const version = await tx.workflowVersion.create({
      data: { tenantId: actor.tenantId, workflowId: wf.id, number: 1, graph: graph as object, message: input.message ?? '', authorId: actor.userId },
      select: { id: true, number: true, graph: true },
    })
    if (input.active) await goLive(tx as unknown as Prisma.TransactionClient, prisma, actor.tenantId, wf.id, version)
    return wf.id
  })
  if (input.active) {
    await announceTriggerChange(deps, actor.tenantId, id, true)
  }
  return { id, version: 1, problems, active: input.active === true, publishedVersion: input.active ? 1 : null }
}

/** `webhookBaseUrl`: the origin webhooks are announced under (AUTERITY_WEBHOOK_URL, else the studio's URL);
 * `hookBaseUrl`: the studio's public URL, which providers' hooks (Twilio, WhatsApp: /api/hooks/…) live under. */
export async function getWorkflow(prisma: PrismaClient, tenantId: string, id: string, webhookBaseUrl: string, hookBaseUrl = webhookBaseUrl) {
  const db = forTenant(prisma, tenantId)
  const row = await db.workflow.findFirst({ where: { id }, select: { ...listSelect, draftGraph: true, draftUpdatedAt: true, draftBaseVersion: true } })
  if (!row) throw new NotFoundError('Workflow')
  const { draftGraph, draftUpdatedAt, draftBaseVersion, ...wf } = row
  const [version, triggers] = await Promise.all([
    db.workflowVersion.findFirst({
      where: { workflowId: id, number: wf.currentVersion },
      select: { number: true, graph: true, message: true, authorId: true, createdAt: true },
    }),
    db.webhookTrigger.findMany({ where: { workflowId: id }, select: { nodeId: true, method: true, path: true }, orderBy: { path: 'asc' } }),
  ])
  // The designer's autosaved edits (./workflow-drafts.ts); one edited from an older version than the current is stale.
  const draft = draftGraph !== null && draftUpdatedAt && draftBaseVersion === wf.currentVersion
    ? { graph: draftGraph, updatedAt: draftUpdatedAt, baseVersion: draftBaseVersion }
    : null
  // `webhooks`: what answers in production now (the published version's, while active); the draft's own paths are
  // derived by the studio as they are edited (lib/client/webhook-url.ts).
  const webhooks = triggers.map((t) => ({ ...t, url: `${webhookBaseUrl}/api/webhooks/${t.path}`, testUrl: `${webhookBaseUrl}/api/webhooks-test/${t.path}` }))
  return { ...wf, version, draft, webhookBaseUrl, hookBaseUrl, webhooks }
}

export async function updateWorkflow(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: { baseVersion: number; name?: string; description?: string; graph?: unknown; message?: string; settings?: WorkflowSettingsInput },
): Promise<{ id: string; version: number; problems: GraphProblem[] }> {
  const saved = input.graph === undefined ? null : graphForSave(input.graph, id)
  const db = forTenant(prisma, actor.tenantId)
  const version = await db.$transaction(async (tx) => {
    // Settings are merged into the stored ones: two saves at once would each merge into what they read and the second
    // would drop the first's keys (a settings-only save leaves currentVersion alone, so its compare-and-set cannot
    // tell). The row lock makes the second read what the first wrote.
    if (input.settings) await tx.$executeRaw`SELECT 1 FROM "Workflow" WHERE "id" = ${id} AND "tenantId" = ${actor.tenantId} FOR UPDATE`
    const wf = await tx.workflow.findFirst({ where: { id }, select: { currentVersion: true, settings: true } })
    if (!wf) throw new NotFoundError('Workflow')
    const stale = () => new ConflictError(`Workflow was saved meanwhile: version ${wf.currentVersion} is newer than ${input.baseVersion}`, { currentVersion: wf.currentVersion })
    if (wf.currentVersion !== input.baseVersion) throw stale()
    const next = saved ? input.baseVersion + 1 : input.baseVersion
    const settings = input.settings ? await applySettings(tx, wf.settings, input.settings) : undefined
    // Compare-and-set on currentVersion: a concurrent save that won the race makes this update match nothing.
    const updated = await tx.workflow.updateMany({
      where: { id, currentVersion: input.baseVersion },
      data: {
        name: input.name, description: input.description, currentVersion: next, settings: settings as Prisma.InputJsonObject | undefined,
        // The new version holds what the draft had: the draft goes.
        ...(saved ? { draftGraph: Prisma.DbNull, draftUpdatedAt: null, draftBaseVersion: null } : {}),
      },
    })
    if (updated.count === 0) throw stale()
    if (saved) {
      await tx.workflowVersion.create({
        data: { tenantId: actor.tenantId, workflowId: id, number: next, graph: saved.graph as object, message: input.message ?? '', authorId: actor.userId },
      })
    }
    return next
  })
  return { id, version, problems: saved?.problems ?? [] }
}

const RUN_BATCH = 1000

/** Its executions go with it (ON DELETE CASCADE); their files and output pages are deleted first, batch by batch. */
export async function deleteWorkflow(deps: ActivationDeps, files: RunFileCleanup, tenantId: string, id: string): Promise<void> {
  const { prisma } = deps
  const db = forTenant(prisma, tenantId)
  if (!(await db.workflow.findFirst({ where: { id }, select: { id: true } }))) throw new NotFoundError('Workflow')
  let after: string | undefined
  for (;;) {
    const runs = await db.execution.findMany({ where: { workflowId: id, id: after ? { gt: after } : undefined }, orderBy: { id: 'asc' }, take: RUN_BATCH, select: { id: true } })
    await deleteRunData(prisma, files, tenantId, runs.map((r) => r.id))
    if (runs.length < RUN_BATCH) break
    after = runs[runs.length - 1].id
  }
  // What its nodes remembered between runs goes with it (Remove Duplicates' keys are scoped "<workflowId>:<nodeId>").
  const [{ count }] = await db.$transaction([db.workflow.deleteMany({ where: { id } }), db.dedupeKey.deleteMany({ where: { scope: { startsWith: `${id}:` } } })])
  if (count === 0) throw new NotFoundError('Workflow')
  // Its webhooks, schedules, events and broker consumers went with it (ON DELETE CASCADE): every process lets go.
  await announceTriggerChange(deps, tenantId, id, false)
}

export async function listVersions(prisma: PrismaClient, tenantId: string, workflowId: string) {
  const db = forTenant(prisma, tenantId)
  if (!(await db.workflow.findFirst({ where: { id: workflowId }, select: { id: true } }))) throw new NotFoundError('Workflow')
  return db.workflowVersion.findMany({
    where: { workflowId },
    select: { number: true, message: true, authorId: true, createdAt: true },
    orderBy: { number: 'desc' },
  })
}

export async function getVersion(prisma: PrismaClient, tenantId: string, workflowId: string, number: number) {
  const v = await forTenant(prisma, tenantId).workflowVersion.findFirst({
    where: { workflowId, number },
    select: { number: true, graph: true, message: true, authorId: true, createdAt: true },
  })
  if (!v) throw new NotFoundError(`Version ${number}`)
  return v
}
