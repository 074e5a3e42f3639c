// Saved workflows as Agent tools: the tool runs the workflow's current version inside this worker and is
// recorded as an execution of its own (mode 'subworkflow', parentExecutionId set), steps and all, so every
// tool call can be opened in the executions dashboard like any other run.
import { randomUUID } from 'node:crypto'
import { runWorkflow } from '../../lib/engine/run'
import { workflowGraphSchema } from '../../lib/engine/graph-schema'
import type { CredentialData, EngineEvent, Item, NodeRegistry, NodeServices, RunLimits } from '../../lib/engine/types'
import type { HostServices, RunWorkflow } from '../../lib/nodes/host-services'
import type { PrismaClient } from '../../lib/db/generated/client'
import { forTenant } from '../../lib/db/scope'
import { storableJson } from '../../lib/db/json'

export interface SubWorkflowDeps {
  prisma: PrismaClient
  registry: NodeRegistry<HostServices>
  /** Read when a tool runs, so the host may finish building its services after creating the runner. */
  services: () => Omit<NodeServices, 'respond'> & HostServices
  getCredential(tenantId: string, id: string): Promise<CredentialData>
  /** Sub-workflows calling sub-workflows: deeper than this fails the tool call (cycles end here). */
  maxDepth?: number
  /** The host's per-run caps (a tool run is a run of its own). */
  limits?: Partial<Omit<RunLimits, 'startedAt'>>
}

export function createSubWorkflowRunner(deps: SubWorkflowDeps): RunWorkflow {
  const depthOf = new Map<string, number>()
  const maxDepth = deps.maxDepth ?? 5

  return async (workflowId, items, { tenantId, signal, parentExecutionId }) => {
    const depth = (depthOf.get(parentExecutionId) ?? 0) + 1
    if (depth > maxDepth) throw new Error(`sub-workflows nest deeper than ${maxDepth} levels (a workflow calling itself?)`)
    const db = forTenant(deps.prisma, tenantId)
    const workflow = await db.workflow.findUnique({ where: { id: workflowId }, select: { id: true, currentVersion: true } })
    if (!workflow) throw new Error(`workflow ${workflowId} not found`)
    const version = await db.workflowVersion.findFirst({ where: { workflowId, number: workflow.currentVersion } })
    if (!version) throw new Error(`workflow ${workflowId} has no saved version`)
    const graph = workflowGraphSchema.parse(version.graph)
    const execution = await db.execution.create({
      data: {
        tenantId,
        workflowId,
        versionId: version.id,
        versionNumber: version.number,
        mode: 'subworkflow',
        status: 'running',
        input: storableJson(items) as object[],
        parentExecutionId,
        startedAt: new Date(),
      },
    })
    depthOf.set(execution.id, depth)
    let last: Item[] = []
    const started = new Map<string, number>()
    const names = new Map(graph.nodes.map((n) => [n.id, n] as const))
    const record = async (e: EngineEvent) => {
      if (e.type === 'step.started') started.set(e.nodeId, e.at)
      if (e.type !== 'step.succeeded' && e.type !== 'step.failed' && e.type !== 'step.skipped') return
      const node = names.get(e.nodeId)
      const startedAt = started.get(e.nodeId) ?? e.at
      if (e.type === 'step.succeeded') last = e.output.main ?? Object.values(e.output)[0] ?? []
      await db.stepRun.create({
        data: {
          id: randomUUID(),
          tenantId,
          executionId: execution.id,
          nodeId: e.nodeId,
          nodeName: node?.name ?? e.nodeId,
          nodeType: node?.type ?? 'unknown',
          attempt: e.type === 'step.skipped' ? 1 : e.attempt,
          status: e.type === 'step.succeeded' ? 'succeeded' : e.type === 'step.failed' ? 'failed' : 'skipped',
          output: e.type === 'step.succeeded' ? (storableJson(e.output) as object) : undefined,
          outputCounts: e.type === 'step.succeeded' ? e.outputCounts : undefined,
          error: e.type === 'step.failed' ? (storableJson(e.error) as object) : undefined,
          startedAt: new Date(startedAt),
          finishedAt: new Date(e.at),
          durationMs: e.type === 'step.skipped' ? 0 : e.durationMs,
        },
      })
    }
    try {
      const result = await runWorkflow({
        graph,
        registry: deps.registry,
        executionId: execution.id,
        workflowId,
        tenantId,
        input: items,
        services: deps.services(),
        getCredential: (id) => deps.getCredential(tenantId, id),
        onEvent: record,
        signal,
        limits: deps.limits,
      })
      await db.execution.update({
        where: { id: execution.id },
        data: { status: result.status, finishedAt: new Date(), error: result.error ? (storableJson(result.error) as object) : undefined },
      })
      if (result.status !== 'succeeded') throw new Error(`sub-workflow ${workflowId} ${result.status}: ${result.error?.message ?? 'no error recorded'}`)
      return last
    } finally {
      depthOf.delete(execution.id)
    }
  }
}
