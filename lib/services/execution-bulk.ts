// Bulk actions of the executions list: delete finished runs, re-run failed ones. Each run goes through the same
// use-case as its single route; one that cannot (still running, not failed, not found) is reported with its reason
// and the others still go through.
import { z } from 'zod'
import { forTenant } from '../db/scope'
import { AppError, NotFoundError } from '../errors'
import { deleteExecution, retryExecution, type ExecutionDeps, type RunFileCleanup } from './executions'
import { bulkIds } from './workflow-list'

export const bulkDeleteExecutionsBody = z.object({ ids: bulkIds })
/** `version`: as the single re-run: the version each ran, or its workflow's current one. */
export const bulkRetryExecutionsBody = z.object({ ids: bulkIds, version: z.enum(['original', 'current']).default('original') })

export type ExecutionOutcome =
  | { id: string; ok: true; executionId?: string }
  | { id: string; ok: false; error: { code: string; message: string } }

type Status = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'

async function forEachExecution(
  prisma: ExecutionDeps['prisma'],
  tenantId: string,
  ids: string[],
  each: (id: string, status: Status) => Promise<Partial<Extract<ExecutionOutcome, { ok: true }>> | void>,
): Promise<ExecutionOutcome[]> {
  const rows = await forTenant(prisma, tenantId).execution.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } })
  const status = new Map(rows.map((r) => [r.id, r.status as Status]))
  const out: ExecutionOutcome[] = []
  for (const id of ids) {
    const s = status.get(id)
    try {
      if (!s) throw new NotFoundError('Execution')
      out.push({ id, ok: true, ...(await each(id, s)) })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      out.push({ id, ok: false, error: { code: err.code, message: err.message } })
    }
  }
  return out
}

/** Running and queued runs are refused (cancel them first), as the single delete refuses them. */
export function bulkDeleteExecutions(prisma: ExecutionDeps['prisma'], files: RunFileCleanup, tenantId: string, ids: string[]) {
  return forEachExecution(prisma, tenantId, ids, async (id, status) => {
    if (status === 'running' || status === 'queued') throw new AppError(409, 'CONFLICT', 'Still running: cancel it before deleting it')
    await deleteExecution(prisma, files, tenantId, id)
  })
}

/** Failed runs only, each re-run with its input, as the single "Re-run" does; the others are reported as skipped. */
export function bulkRetryExecutions(deps: ExecutionDeps, tenantId: string, ids: string[], version: 'original' | 'current') {
  return forEachExecution(deps.prisma, tenantId, ids, async (id, status) => {
    if (status !== 'failed') throw new AppError(409, 'NOT_FAILED', `Only failed runs are re-run (this one is ${status})`)
    const { executionId } = await retryExecution(deps, tenantId, id, false, version)
    return { executionId }
  })
}
