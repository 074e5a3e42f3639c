// Sub-workflows run inline: the child runs inside this worker, in the calling step, and is recorded as an execution
// of its own (mode 'subworkflow', parentExecutionId set, a SubWorkflowRun link with its depth), steps and all, so
// every child run can be opened in the executions dashboard like any other. The Agent's workflow tools use
// `createSubWorkflowRunner`; the Execute Workflow node's wait mode uses `runInline` (./execute-workflow.ts).
import { randomUUID } from 'node:crypto'
import { runWorkflow } from '../../lib/engine/run'
import { MemoryItemStore } from '../../lib/engine/memory-store'
import { workflowGraphSchema, type WorkflowGraph } from '../../lib/engine/graph-schema'
import type { CredentialData, EngineEvent, Item, NodeRegistry, NodeServices, RunLimits, RunResult } from '../../lib/engine/types'
import type { HostServices, RunWorkflow } from '../../lib/nodes/host-services'
import type { PrismaClient } from '../../lib/db/generated/client'
import { forTenant } from '../../lib/db/scope'
import { storableJson } from '../../lib/db/json'
import { depthOf, recordLink } from '../../lib/services/sub-workflow-links'
import type { CancelListener } from '../../lib/services/signals'
import type { RealtimeEmitter } from '../../lib/realtime/emitter'
import { executionEvent } from '../../lib/services/execution-events'

export interface SubWorkflowDeps {
  prisma: PrismaClient
  registry: NodeRegistry<HostServices>
  /** Read when a child runs, so the host may finish building its services after creating the runner. */
  services: () => Omit<NodeServices, 'respond'> & HostServices
  getCredential(tenantId: string, id: string): Promise<CredentialData>
  /** Sub-workflows calling sub-workflows: deeper than this fails the call (cycles end here). */
  maxDepth?: number
  /** The host's per-run caps (a child run is a run of its own). */
  limits?: Partial<Omit<RunLimits, 'startedAt'>>
  /** The worker's cancel signals: a child canceled from the dashboard stops like any run (its parent's cancel too). */
  cancels?: Pick<CancelListener, 'track' | 'untrack'>
  /** The worker's realtime emitter (read when a child runs): the dashboard sees a child start and end live. */
  emitter?: () => Pick<RealtimeEmitter, 'executionUpdated'>
}

export interface InlineRun {
  tenantId: string
  workflowId: string
  version: { id: string; number: number }
  graph: WorkflowGraph
  items: Item[]
  parentExecutionId: string
  parentNodeId?: string
  depth: number
  /** The trigger the child starts at (default: the graph's first). */
  triggerNodeId?: string
  signal: AbortSignal
}

/** Records and runs one child run; resolves with its status and the items of the last step that succeeded. */
export async function runInline(deps: SubWorkflowDeps, run: InlineRun): Promise<{ executionId: string; result: RunResult; items: Item[] }> {
  const { tenantId, workflowId, graph } = run
  const db = forTenant(deps.prisma, tenantId)
  const execution = await db.execution.create({
    data: {
      tenantId,
      workflowId,
      versionId: run.version.id,
      versionNumber: run.version.number,
      mode: 'subworkflow',
      status: 'running',
      input: storableJson(run.items) as object[],
      parentExecutionId: run.parentExecutionId,
      startNodeId: run.triggerNodeId,
      startedAt: new Date(),
    },
    select: { id: true, workflowId: true, status: true, mode: true, createdAt: true, startedAt: true, finishedAt: true, error: true },
  })
  await recordLink(deps.prisma, { tenantId, executionId: execution.id, parentExecutionId: run.parentExecutionId, parentNodeId: run.parentNodeId, depth: run.depth })
  deps.emitter?.().executionUpdated(tenantId, executionEvent(execution))
  let lastNode: string | undefined
  const store = new MemoryItemStore()
  const started = new Map<string, number>()
  const names = new Map(graph.nodes.map((n) => [n.id, n] as const))
  const record = async (e: EngineEvent) => {
    if (e.type === 'step.started') started.set(e.nodeId, e.at)
    if (e.type !== 'step.succeeded' && e.type !== 'step.failed' && e.type !== 'step.skipped') return
    const node = names.get(e.nodeId)
    const startedAt = started.get(e.nodeId) ?? e.at
    if (e.type === 'step.succeeded') lastNode = e.nodeId
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
  const own = deps.cancels?.track(execution.id)
  let result: RunResult
  try {
    result = await runWorkflow({
      graph,
      registry: deps.registry,
      executionId: execution.id,
      workflowId,
      tenantId,
      input: run.items,
      triggerNodeId: run.triggerNodeId,
      services: deps.services(),
      getCredential: (id) => deps.getCredential(tenantId, id),
      onEvent: record,
      signal: own ? AbortSignal.any([run.signal, own.signal]) : run.signal,
      store,
      limits: deps.limits,
    })
  } catch (err) {
    result = { status: 'failed', steps: {}, error: { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) } }
  } finally {
    deps.cancels?.untrack(execution.id)
    await deps.services().browser.endRun(execution.id).catch(() => undefined)
  }
  // Only a row still running: one canceled from the dashboard (or closed as orphaned) keeps what it says.
  const [finished] = await db.execution.updateManyAndReturn({
    where: { id: execution.id, status: 'running' },
    data: { status: result.status, finishedAt: new Date(), error: result.error ? (storableJson(result.error) as object) : undefined },
  })
  if (finished) deps.emitter?.().executionUpdated(tenantId, executionEvent(finished))
  const items: Item[] = []
  if (result.status === 'succeeded' && lastNode) {
    // The whole output of the last step (the events carry a preview only); its first port, as the run's result.
    const def = deps.registry.get(names.get(lastNode)!.type)
    const ports = Object.keys(result.steps[lastNode]?.outputCounts ?? {})
    const port = ports.includes('main') ? 'main' : (ports[0] ?? (def && Array.isArray(def.outputs) ? def.outputs[0]?.name : undefined) ?? 'main')
    for await (const page of store.pages(lastNode, port)) items.push(...page)
  }
  return { executionId: execution.id, result, items }
}

/** The Agent's workflow tools: the tool workflow's newest saved version, from its first trigger. */
export function createSubWorkflowRunner(deps: SubWorkflowDeps): RunWorkflow {
  const maxDepth = deps.maxDepth ?? 5
  return async (workflowId, items, { tenantId, signal, parentExecutionId }) => {
    const depth = (await depthOf(deps.prisma, tenantId, parentExecutionId)) + 1
    if (depth > maxDepth) throw new Error(`sub-workflows nest deeper than ${maxDepth} levels (a workflow calling itself?)`)
    const db = forTenant(deps.prisma, tenantId)
    const workflow = await db.workflow.findUnique({ where: { id: workflowId }, select: { id: true, currentVersion: true } })
    if (!workflow) throw new Error(`workflow ${workflowId} not found`)
    const version = await db.workflowVersion.findFirst({ where: { workflowId, number: workflow.currentVersion } })
    if (!version) throw new Error(`workflow ${workflowId} has no saved version`)
    const graph = workflowGraphSchema.parse(version.graph)
    const run = await runInline(deps, { tenantId, workflowId, version, graph, items, parentExecutionId, depth, signal })
    if (run.result.status !== 'succeeded') throw new Error(`sub-workflow ${workflowId} ${run.result.status}: ${run.result.error?.message ?? 'no error recorded'}`)
    return run.items
  }
}
