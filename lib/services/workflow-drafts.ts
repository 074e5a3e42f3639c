// The designer's autosaved draft: the graph being edited, kept on the Workflow row without minting a version (so an
// afternoon of edits is not fifty versions). Reopening the workflow, or another tab, shows it; saving a version
// clears it (./workflows.ts). A draft is edited from one version (draftBaseVersion): once a newer version exists it
// is stale, refused on write and not shown. Manual runs from the designer run the graph on screen as a draft run
// (Execution.graph); production triggers only ever run the published version.
import { Prisma, type PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { ConflictError, NotFoundError } from '../errors'
import type { Item } from '../engine/types'
import { assertValidGraph } from './validation'
import { startExecution, type ExecutionDeps } from './executions'
import { graphForSave, type Actor } from './workflows'

/**
 * PUT /api/workflows/:id/draft. Checked like a save (a graph that is not a graph is a 400 naming the field; problems
 * such as an unconnected node are kept and reported). A draft edited from an older version than the current one is a
 * 409: a version was saved meanwhile (in another tab), and this draft would undo it.
 */
export async function saveDraft(prisma: PrismaClient, actor: Actor, workflowId: string, input: { baseVersion: number; graph: unknown }) {
  const { graph, problems } = graphForSave(input.graph, workflowId)
  const db = forTenant(prisma, actor.tenantId)
  const updatedAt = new Date()
  const { count } = await db.workflow.updateMany({
    where: { id: workflowId, currentVersion: input.baseVersion },
    data: { draftGraph: graph as object, draftUpdatedAt: updatedAt, draftBaseVersion: input.baseVersion },
  })
  if (count === 0) {
    const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { currentVersion: true } })
    if (!wf) throw new NotFoundError('Workflow')
    throw new ConflictError(`Workflow was saved meanwhile: version ${wf.currentVersion} is newer than ${input.baseVersion}`, { currentVersion: wf.currentVersion })
  }
  return { updatedAt, baseVersion: input.baseVersion, problems }
}

/** DELETE /api/workflows/:id/draft: back to the saved version. */
export async function discardDraft(prisma: PrismaClient, tenantId: string, workflowId: string): Promise<void> {
  const { count } = await forTenant(prisma, tenantId).workflow.updateMany({
    where: { id: workflowId },
    data: { draftGraph: Prisma.DbNull, draftUpdatedAt: null, draftBaseVersion: null },
  })
  if (count === 0) throw new NotFoundError('Workflow')
}

/**
 * POST /api/workflows/:id/draft/run: runs `graph` (the designer's, as it is on screen) without saving a version. The
 * execution keeps the graph (Execution.graph) and names the current version as the one it was edited from; a re-run
 * runs the same graph again. Invalid graphs are a 400, like a run of a version.
 */
export async function runDraft(deps: ExecutionDeps, tenantId: string, workflowId: string, opts: { graph: unknown; input?: Item[] }) {
  const graph = assertValidGraph(opts.graph)
  const db = forTenant(deps.prisma, tenantId)
  const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { currentVersion: true } })
  if (!wf) throw new NotFoundError('Workflow')
  const version = await db.workflowVersion.findFirst({ where: { workflowId, number: wf.currentVersion }, select: { id: true, number: true } })
  if (!version) throw new NotFoundError(`Version ${wf.currentVersion}`)
  const executionId = await startExecution(deps, {
    tenantId, workflowId, versionId: version.id, versionNumber: version.number, input: opts.input ?? [{}], mode: 'manual', graph: graph as object,
  })
  return { executionId, versionNumber: version.number }
}
