// Bulk actions of the workflow list. Each workflow goes through the same use-case as its single route (activation's
// checks, deletion's cleanup), one at a time: one that cannot (a graph with problems, no trigger to activate, not
// found) is reported with its reason and the others still go through.
import { z } from 'zod'
import { forTenant } from '../db/scope'
import { AppError, NotFoundError } from '../errors'
import { activateWorkflow, deactivateWorkflow, type ActivationDeps } from './activation'
import { exportWorkflow } from './workflow-transfer'
import { deleteWorkflow, type Actor } from './workflows'
import type { RunFileCleanup } from './executions'
import { bulkIds } from './workflow-list'
import { moveWorkflows } from './workflow-folders'
import type { WorkflowFile } from './workflow-file'

export const bulkWorkflowsBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('activate'), ids: bulkIds }),
  z.object({ action: z.literal('deactivate'), ids: bulkIds }),
  z.object({ action: z.literal('delete'), ids: bulkIds }),
  /** `folderId` null: back to the top level. */
  z.object({ action: z.literal('move'), ids: bulkIds, folderId: z.string().min(1).max(100).nullable() }),
], { error: (issue) => (issue.code === 'invalid_union' ? 'action: one of activate, deactivate, delete, move' : undefined) })
export type BulkWorkflowsBody = z.infer<typeof bulkWorkflowsBody>

export type BulkOutcome = { id: string; name: string | null; ok: true } | { id: string; name: string | null; ok: false; error: { code: string; message: string; fields?: Record<string, string> } }

const failure = (err: AppError) => ({ code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) })

/** Runs `each` for every id of the workspace in the order given; ids it does not have are "not found", typed errors
 * are that workflow's outcome, anything else (the database gone) ends the whole request. */
export async function forEachWorkflow(deps: ActivationDeps, tenantId: string, ids: string[], each: (id: string) => Promise<unknown>): Promise<BulkOutcome[]> {
  const rows = await forTenant(deps.prisma, tenantId).workflow.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
  const names = new Map(rows.map((r) => [r.id, r.name]))
  const out: BulkOutcome[] = []
  for (const id of ids) {
    const name = names.get(id) ?? null
    if (name === null) {
      out.push({ id, name, ok: false, error: failure(new NotFoundError('Workflow')) })
      continue
    }
    try {
      await each(id)
      out.push({ id, name, ok: true })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      out.push({ id, name, ok: false, error: failure(err) })
    }
  }
  return out
}

export async function bulkWorkflows(deps: ActivationDeps, files: RunFileCleanup, actor: Actor, body: BulkWorkflowsBody): Promise<BulkOutcome[]> {
  switch (body.action) {
    case 'activate':
      return forEachWorkflow(deps, actor.tenantId, body.ids, (id) => activateWorkflow(deps, actor, id))
    case 'deactivate':
      return forEachWorkflow(deps, actor.tenantId, body.ids, (id) => deactivateWorkflow(deps, actor, id))
    case 'delete':
      return forEachWorkflow(deps, actor.tenantId, body.ids, (id) => deleteWorkflow(deps, files, actor.tenantId, id))
    case 'move': {
      const moved = await moveWorkflows(deps.prisma, actor.tenantId, body.ids, body.folderId)
      const rows = await forTenant(deps.prisma, actor.tenantId).workflow.findMany({ where: { id: { in: body.ids } }, select: { id: true, name: true } })
      const names = new Map(rows.map((r) => [r.id, r.name]))
      return moved.map((m) => ({ ...m, name: names.get(m.id) ?? null }))
    }
  }
}

export const WORKFLOWS_FILE_FORMAT = 'auterity.workflows'
export const WORKFLOWS_FILE_VERSION = 1

export const exportWorkflowsQuery = z.object({
  ids: z
    .string()
    .min(1, 'ids: the workflows to export, comma-separated')
    .transform((s) => s.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(bulkIds),
})

/** GET /api/workflows/export?ids=a,b: one file holding each workflow's export file (the single export's format),
 * current versions, in the order asked. A workflow this workspace does not have is a 404 naming it. */
export async function exportWorkflows(deps: Pick<ActivationDeps, 'prisma'>, tenantId: string, ids: string[]) {
  const workflows: WorkflowFile[] = []
  for (const id of ids) {
    try {
      workflows.push((await exportWorkflow(deps.prisma, tenantId, id)).file)
    } catch (err) {
      if (err instanceof NotFoundError) throw new AppError(404, 'NOT_FOUND', `ids: workflow ${id} not found`, { fields: { ids: `${id} not found` } })
      throw err
    }
  }
  return { format: WORKFLOWS_FILE_FORMAT, formatVersion: WORKFLOWS_FILE_VERSION, exportedAt: new Date().toISOString(), workflows }
}
