// Workflow.settings: plain values beside the versions (saving them makes no new version). Each key is checked here
// before it is stored; a bad one is a 400 naming `settings.<key>`. Keys not given keep their stored value; null clears.
import { z } from 'zod'
import { ValidationError } from '../errors'

export const workflowSettingsBody = z
  .object({
    /** The workflow started when a run of this one fails (it must hold an Error Trigger); null: none. */
    errorWorkflowId: z.string().trim().min(1).max(100).nullable().optional(),
    /** Runs of this workflow at once across all workers (workers/runtime/concurrency.ts); null: no limit. */
    maxConcurrency: z.number().int('a whole number').min(1, 'at least 1').max(10_000, 'at most 10000').nullable().optional(),
  })
  .strict()
export type WorkflowSettingsInput = z.infer<typeof workflowSettingsBody>

/** A tenant-scoped client (forTenant) or its transaction: the two look-ups the checks make. */
interface Db {
  workflow: { findFirst(args: { where: { id: string }; select: { name: true; currentVersion: true; publishedVersion: true } }): Promise<{ name: string; currentVersion: number; publishedVersion: number | null } | null> }
  workflowVersion: { findFirst(args: { where: { workflowId: string; number: number }; select: { graph: true } }): Promise<{ graph: unknown } | null> }
}

/** The stored settings with `input` applied, after checking it against the tenant's workflows (`db` is scoped). */
export async function applySettings(db: Db, stored: unknown, input: WorkflowSettingsInput): Promise<Record<string, unknown>> {
  const next: Record<string, unknown> = { ...(stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {}) }
  if (input.errorWorkflowId !== undefined) {
    if (input.errorWorkflowId === null) delete next.errorWorkflowId
    else {
      await checkErrorWorkflow(db, input.errorWorkflowId)
      next.errorWorkflowId = input.errorWorkflowId
    }
  }
  if (input.maxConcurrency !== undefined) {
    if (input.maxConcurrency === null) delete next.maxConcurrency
    else next.maxConcurrency = input.maxConcurrency
  }
  return next
}

/** Must exist in the same workspace and hold an Error Trigger in the version it would run (published, else newest). */
async function checkErrorWorkflow(db: Db, id: string): Promise<void> {
  const field = 'settings.errorWorkflowId'
  const refuse = (message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })
  const wf = await db.workflow.findFirst({ where: { id }, select: { name: true, currentVersion: true, publishedVersion: true } })
  if (!wf) throw refuse(`workflow ${id} not found in this workspace`)
  const number = wf.publishedVersion ?? wf.currentVersion
  const version = await db.workflowVersion.findFirst({ where: { workflowId: id, number }, select: { graph: true } })
  const nodes = (version?.graph as { nodes?: { type?: unknown }[] } | null)?.nodes ?? []
  if (!nodes.some((n) => n?.type === 'error-trigger')) {
    throw refuse(`workflow "${wf.name}" has no Error Trigger node in version ${number}${wf.publishedVersion ? ' (published)' : ''}: add one to make it an error workflow`)
  }
}
