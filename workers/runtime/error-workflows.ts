// Error workflows: when a run this worker finished failed and its workflow's settings name an error workflow, that
// workflow is started (its published version, else its newest) at its Error Trigger, with one item describing the
// failure, mode 'error' and parentExecutionId = the failed run. A failed error workflow run never starts another
// (no loops), and an error workflow deleted meanwhile is logged, not an error of anyone's run.
import type { PrismaClient } from '../../lib/db/generated/client'
import { forTenant } from '../../lib/db/scope'
import { workflowGraphSchema } from '../../lib/engine/graph-schema'
import type { ErrorTriggerItem } from '../../lib/nodes/error-trigger/definition'
import { startExecution, type ExecutionDeps } from '../../lib/services/executions'
import { depthOf, recordLink } from '../../lib/services/sub-workflow-links'
import type { FinishedRun } from './run-execution'
import { log, type Logger } from '../../lib/log'

const logger = log.child({ component: 'error-workflows' })

const TRIGGER_TYPE = 'error-trigger'

export interface ErrorWorkflowDeps {
  prisma: PrismaClient
  starts: () => ExecutionDeps
  /** The studio's public URL: the item links to <studioUrl>/executions/<id>. */
  studioUrl: string
  /** Error workflow runs count as nested runs too (they have a parent): deeper than this, none is started. */
  maxDepth: number
  log?: Pick<Logger, 'warn'>
}

/** An ExecutionRuntime.onFinished listener. */
export function errorWorkflowStarter(deps: ErrorWorkflowDeps): (run: FinishedRun) => Promise<void> {
  const log = deps.log ?? logger
  return async (run) => {
    if (run.status !== 'failed') return
    // An error workflow's own failure starts nothing: an error workflow that fails (or names itself) cannot loop.
    if (run.mode === 'error') return
    const db = forTenant(deps.prisma, run.tenantId)
    const failed = await db.workflow.findFirst({ where: { id: run.workflowId }, select: { id: true, name: true, settings: true } })
    const errorWorkflowId = errorWorkflowOf(failed?.settings)
    if (!failed || !errorWorkflowId) return
    const skip = (why: string) =>
      log.warn({ tenantId: run.tenantId, workflowId: failed.id, executionId: run.executionId, errorWorkflowId, reason: why }, `error workflow not started: ${why}`)
    const target = await db.workflow.findFirst({ where: { id: errorWorkflowId }, select: { currentVersion: true, publishedVersion: true } })
    if (!target) return skip('it no longer exists')
    const number = target.publishedVersion ?? target.currentVersion
    const version = await db.workflowVersion.findFirst({ where: { workflowId: errorWorkflowId, number }, select: { id: true, number: true, graph: true } })
    if (!version) return skip(`its version ${number} no longer exists`)
    const trigger = workflowGraphSchema.parse(version.graph).nodes.find((n) => n.type === TRIGGER_TYPE && !n.settings.disabled)
    if (!trigger) return skip('it has no Error Trigger')
    const depth = (await depthOf(deps.prisma, run.tenantId, run.executionId)) + 1
    if (depth > deps.maxDepth) return skip(`it would run at depth ${depth}, over the limit of ${deps.maxDepth} (AUTERITY_MAX_SUBWORKFLOW_DEPTH)`)

    const [execution, step] = await Promise.all([
      db.execution.findFirst({ where: { id: run.executionId }, select: { mode: true, retryOfId: true } }),
      db.stepRun.findFirst({ where: { executionId: run.executionId, status: 'failed' }, orderBy: [{ finishedAt: 'desc' }, { attempt: 'desc' }], select: { nodeId: true, nodeName: true, nodeType: true } }),
    ])
    const item: ErrorTriggerItem = {
      execution: {
        id: run.executionId,
        url: `${deps.studioUrl.replace(/\/+$/, '')}/executions/${run.executionId}`,
        mode: execution?.mode ?? run.mode,
        retryOf: execution?.retryOfId ?? null,
        error: { message: run.error?.message ?? 'The run failed', name: run.error?.name ?? 'Error' },
        lastNodeExecuted: step?.nodeName ?? null,
      },
      workflow: { id: failed.id, name: failed.name },
      node: step ? { id: step.nodeId, name: step.nodeName, type: step.nodeType } : null,
    }
    await startExecution(
      deps.starts(),
      {
        tenantId: run.tenantId, workflowId: errorWorkflowId, versionId: version.id, versionNumber: version.number, input: [item],
        mode: 'error', triggerNodeId: trigger.id, parentExecutionId: run.executionId,
      },
      (id) => recordLink(deps.prisma, { tenantId: run.tenantId, executionId: id, parentExecutionId: run.executionId, parentNodeId: step?.nodeId, depth }),
    )
  }
}

function errorWorkflowOf(settings: unknown): string | undefined {
  const id = settings && typeof settings === 'object' ? (settings as Record<string, unknown>).errorWorkflowId : undefined
  return typeof id === 'string' && id ? id : undefined
}
