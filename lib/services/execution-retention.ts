// How long a workspace keeps its finished runs: `executionRetentionDays` (older runs go) and `executionsPerWorkflow`
// (runs beyond the newest N of each workflow go), both in Tenant.settings beside the audit log's setting. A
// workspace without a days setting follows the server's AUTERITY_EXECUTION_RETENTION_DAYS (0: keep for ever).
// The worker applies them (workers/runtime/execution-prune.ts); docs/retention.md.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'

export const MAX_EXECUTION_RETENTION_DAYS = 3650
export const MAX_EXECUTIONS_PER_WORKFLOW = 1_000_000

const days = z
  .number({ error: 'Give a whole number of days, or null to follow the server' })
  .int('Use a whole number of days')
  .min(1, 'Keep runs at least 1 day')
  .max(MAX_EXECUTION_RETENTION_DAYS, `Keep runs at most ${MAX_EXECUTION_RETENTION_DAYS} days`)
const perWorkflow = z
  .number({ error: 'Give a whole number of runs, or null for no limit' })
  .int('Use a whole number of runs')
  .min(1, 'Keep at least 1 run per workflow')
  .max(MAX_EXECUTIONS_PER_WORKFLOW, `Keep at most ${MAX_EXECUTIONS_PER_WORKFLOW} runs per workflow`)

export interface ExecutionRetention {
  /** Finished runs older than this many days are deleted; null: the server's default applies. */
  executionRetentionDays: number | null
  /** Finished runs beyond the newest N of each workflow are deleted; null: no limit. */
  executionsPerWorkflow: number | null
}

/** PUT body: both settings, each null to clear it (a partial body would leave the caller guessing what it kept). */
export const executionRetentionBody = z.strictObject({ executionRetentionDays: days.nullable(), executionsPerWorkflow: perWorkflow.nullable() })

/** The workspace's settings as stored (a value that no longer parses counts as unset, never as "delete everything"). */
export function retentionOf(settings: unknown): ExecutionRetention {
  const s = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>
  const d = days.safeParse(s.executionRetentionDays)
  const n = perWorkflow.safeParse(s.executionsPerWorkflow)
  return { executionRetentionDays: d.success ? d.data : null, executionsPerWorkflow: n.success ? n.data : null }
}

/** The days that apply: the workspace's own, else the server's (0 or unset: none). */
export function effectiveDays(r: ExecutionRetention, serverDefaultDays: number): number | null {
  return r.executionRetentionDays ?? (serverDefaultDays > 0 ? serverDefaultDays : null)
}

export async function workspaceExecutionRetention(prisma: PrismaClient, tenantId: string): Promise<ExecutionRetention> {
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { settings: true } })
  return retentionOf(tenant?.settings)
}

/** Stores both settings (null removes one), keeping the workspace's other settings; in one transaction with the read. */
export async function setWorkspaceExecutionRetention(prisma: PrismaClient, tenantId: string, r: ExecutionRetention): Promise<ExecutionRetention> {
  await prisma.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { settings: true } })
    const settings = { ...((tenant.settings as Record<string, unknown> | null) ?? {}) }
    for (const key of ['executionRetentionDays', 'executionsPerWorkflow'] as const) {
      if (r[key] === null) delete settings[key]
      else settings[key] = r[key]
    }
    await tx.tenant.update({ where: { id: tenantId }, data: { settings: settings as object } })
  })
  return r
}

/** What GET and PUT answer: the settings, the server's default and what applies. */
export function retentionAnswer(r: ExecutionRetention, serverDefaultDays: number) {
  return { ...r, serverDefaultDays: serverDefaultDays > 0 ? serverDefaultDays : null, effectiveDays: effectiveDays(r, serverDefaultDays) }
}
