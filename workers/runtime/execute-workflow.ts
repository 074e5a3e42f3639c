// The Execute Workflow node's host service: finds the child workflow's version and its Execute Workflow Trigger,
// checks the items against the trigger's input schema, caps the nesting, then runs the child inline (wait: recorded
// as its own execution, canceled with its parent) or queues it as a normal execution (fire and forget). Every child
// run gets a SubWorkflowRun link before it can start, so the depth holds on whatever worker runs it.
import { NodeError, type Item } from '../../lib/engine/types'
import { workflowGraphSchema } from '../../lib/engine/graph-schema'
import type { ExecuteWorkflow, ExecuteWorkflowRequest } from '../../lib/nodes/host-services'
import { executeWorkflowTriggerParams, inputProblem } from '../../lib/nodes/execute-workflow-trigger/definition'
import { forTenant } from '../../lib/db/scope'
import { storableJson } from '../../lib/db/json'
import { startExecution, type ExecutionDeps } from '../../lib/services/executions'
import { depthMessage, depthOf, recordLink } from '../../lib/services/sub-workflow-links'
import { runInline, type SubWorkflowDeps } from './sub-workflow'

const TRIGGER_TYPE = 'execute-workflow-trigger'

export interface ExecuteWorkflowDeps extends SubWorkflowDeps {
  maxDepth: number
  /** The worker's producer (built after the runner): fire-and-forget children go through the queue. */
  starts: () => ExecutionDeps
}

export function createExecuteWorkflow(deps: ExecuteWorkflowDeps): ExecuteWorkflow {
  const swept = new Set<string>()
  return async (req) => {
    const { prisma } = deps
    const { tenantId, parentExecutionId } = req
    const depth = (await depthOf(prisma, tenantId, parentExecutionId)) + 1
    if (depth > deps.maxDepth) throw new NodeError(depthMessage(depth, deps.maxDepth), { code: 'SUBWORKFLOW_DEPTH', details: { depth, maxDepth: deps.maxDepth } })
    const child = await childVersion(deps, req)
    const link = { tenantId, parentExecutionId, parentNodeId: req.parentNodeId, depth }

    const problem = inputProblem(child.inputSchema, req.items)
    if (problem) {
      // The refused child is a run of its own too (failed before its first step), so the parent links to it.
      const refused = await forTenant(prisma, tenantId).execution.create({
        data: {
          tenantId, workflowId: req.workflowId, versionId: child.version.id, versionNumber: child.version.number, mode: 'subworkflow', status: 'failed',
          input: storableJson(req.items) as object[], parentExecutionId, startNodeId: child.triggerId, startedAt: new Date(), finishedAt: new Date(),
          error: { name: 'NodeError', code: 'INVALID_INPUT', message: `Input refused by the Execute Workflow Trigger: ${problem.message}`, details: problem },
        },
        select: { id: true },
      })
      await recordLink(prisma, { ...link, executionId: refused.id })
      throw new NodeError(`Sub-workflow "${child.name}" refused its input: ${problem.message}`, { code: 'INVALID_INPUT', details: { ...problem, executionId: refused.id } })
    }

    if (!req.wait) {
      const executionId = await startExecution(
        deps.starts(),
        {
          tenantId, workflowId: req.workflowId, versionId: child.version.id, versionNumber: child.version.number, input: req.items,
          mode: 'subworkflow', triggerNodeId: child.triggerId, parentExecutionId,
        },
        (id) => recordLink(prisma, { ...link, executionId: id }),
      )
      return { executionId }
    }

    await closeOrphans(deps, swept, req)
    const run = await runInline(deps, {
      tenantId, workflowId: req.workflowId, version: child.version, graph: child.graph, items: req.items, parentExecutionId,
      parentNodeId: req.parentNodeId, depth, triggerNodeId: child.triggerId, signal: req.signal,
    })
    if (run.result.status !== 'succeeded') {
      const why = run.result.status === 'canceled' ? 'was canceled' : `failed: ${run.result.error?.message ?? 'no error recorded'}`
      throw new NodeError(`Sub-workflow "${child.name}" ${why}`, { code: 'SUBWORKFLOW_FAILED', details: { executionId: run.executionId, error: run.result.error } })
    }
    return { executionId: run.executionId, items: run.items as Item[] }
  }
}

/** The version to run and where it starts; a clear error naming the param when there is none. */
async function childVersion(deps: ExecuteWorkflowDeps, req: ExecuteWorkflowRequest) {
  const db = forTenant(deps.prisma, req.tenantId)
  const wf = await db.workflow.findFirst({ where: { id: req.workflowId }, select: { name: true, currentVersion: true, publishedVersion: true } })
  if (!wf) throw new NodeError(`Workflow ${req.workflowId} not found in this workspace`, { field: 'workflowId', code: 'NOT_FOUND' })
  const number = req.version === 'published' ? wf.publishedVersion : wf.currentVersion
  if (number === null) {
    throw new NodeError(`Workflow "${wf.name}" has no published version: publish it, or set version to "current"`, { field: 'version', code: 'NOT_PUBLISHED' })
  }
  const version = await db.workflowVersion.findFirst({ where: { workflowId: req.workflowId, number }, select: { id: true, number: true, graph: true } })
  if (!version) throw new NodeError(`Workflow "${wf.name}" has no version ${number}`, { field: 'version', code: 'NOT_FOUND' })
  const graph = workflowGraphSchema.parse(version.graph)
  const trigger = graph.nodes.find((n) => n.type === TRIGGER_TYPE && !n.settings.disabled)
  if (!trigger) {
    throw new NodeError(`Workflow "${wf.name}" has no Execute Workflow Trigger: add one where the sub-workflow starts`, { field: 'workflowId', code: 'NO_TRIGGER' })
  }
  const parsed = executeWorkflowTriggerParams.safeParse(trigger.params)
  if (!parsed.success) throw new NodeError(`Workflow "${wf.name}": its Execute Workflow Trigger has invalid params (${parsed.error.issues[0]?.message})`, { field: 'workflowId' })
  return { name: wf.name, version: { id: version.id, number: version.number }, graph, triggerId: trigger.id, inputSchema: parsed.data }
}

const ORPHAN_ERROR = JSON.stringify({ name: 'WorkerLost', message: 'The worker running this sub-workflow stopped; its calling step ran again and started a new run' })
const SWEPT_MAX = 10_000

/**
 * A wait-mode child holds no lease of its own: when the worker running its parent stops, the parent is delivered
 * again and its step starts a new child, and the old one would say 'running' for ever. Before a step's first child
 * (once per parent step and process), the step's children still running inline are closed as failed.
 */
async function closeOrphans(deps: ExecuteWorkflowDeps, swept: Set<string>, req: ExecuteWorkflowRequest): Promise<void> {
  const key = `${req.parentExecutionId}\u0000${req.parentNodeId}`
  if (swept.has(key)) return
  if (swept.size >= SWEPT_MAX) swept.clear()
  swept.add(key)
  await deps.prisma.$executeRaw`
    UPDATE "Execution" AS e SET "status" = 'failed', "finishedAt" = now() AT TIME ZONE 'UTC', "error" = ${ORPHAN_ERROR}::jsonb
    FROM "SubWorkflowRun" AS l
    WHERE l."parentExecutionId" = ${req.parentExecutionId} AND l."parentNodeId" = ${req.parentNodeId} AND l."tenantId" = ${req.tenantId}
      AND e."id" = l."executionId" AND e."status" = 'running' AND e."leaseToken" IS NULL`
}
