// "Test this step": runs one node through the engine in the web process, fed by a synthetic manual trigger
// with the items the node received in its last execution (or the items the caller gives).
import { randomUUID } from 'node:crypto'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { env } from '../env'
import { NotFoundError, ValidationError } from '../errors'
import { runWorkflow } from '../engine/run'
import { workflowGraphSchema, type WorkflowGraph } from '../engine/graph-schema'
import type { EngineEvent, Item, NodeOutput, SerializedError } from '../engine/types'
import { nodeRegistry } from '../nodes/registry'
import { getDecryptedCredential } from '../credentials'
import { resolveInput } from './step-input'
import { webNodeServices } from './node-runtime'

const FEED_NODE = '__test_input'
const TEST_TIMEOUT_MS = 60_000

export interface TestStepResult {
  status: 'succeeded' | 'failed' | 'canceled'
  output: NodeOutput
  error?: SerializedError
  durationMs: number
  input: Item[]
}

export async function testStep(
  prisma: PrismaClient,
  tenantId: string,
  workflowId: string,
  req: { nodeId: string; graph?: unknown; input?: Item[] },
): Promise<TestStepResult> {
  const db = forTenant(prisma, tenantId)
  const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { currentVersion: true } })
  if (!wf) throw new NotFoundError('Workflow')
  let graph: WorkflowGraph
  if (req.graph !== undefined) {
    const parsed = workflowGraphSchema.safeParse(req.graph)
    if (!parsed.success) throw new ValidationError(`graph: ${parsed.error.issues[0]?.message}`, { graph: 'invalid graph' })
    graph = parsed.data
  } else {
    const v = await db.workflowVersion.findFirst({ where: { workflowId, number: wf.currentVersion }, select: { graph: true } })
    graph = workflowGraphSchema.parse(v?.graph)
  }
  const node = graph.nodes.find((n) => n.id === req.nodeId)
  if (!node) throw new ValidationError(`nodeId: no node "${req.nodeId}" in the graph`, { nodeId: 'not in the graph' })
  const input = req.input ?? (await lastInput(prisma, tenantId, workflowId, node.id))

  const isTrigger = Boolean(nodeRegistry.get(node.type)?.trigger)
  const single = { ...node, settings: { ...node.settings, disabled: false } }
  const testGraph: WorkflowGraph = isTrigger
    ? { nodes: [single], edges: [], notes: [] }
    : {
        nodes: [{ id: FEED_NODE, type: 'manual-trigger', typeVersion: 1, name: 'Test input', params: {}, settings: {}, position: { x: 0, y: 0 } }, single],
        edges: [{ source: FEED_NODE, sourcePort: 'main', target: node.id, targetPort: nodeRegistry.get(node.type)?.inputs[0]?.name ?? 'main' }],
        notes: [],
      }

  let output: NodeOutput = {}
  let error: SerializedError | undefined
  const started = Date.now()
  const executionId = `test-${randomUUID()}`
  const result = await runWorkflow({
    graph: testGraph,
    registry: nodeRegistry,
    executionId,
    workflowId,
    tenantId,
    input,
    triggerNodeId: isTrigger ? node.id : FEED_NODE,
    services: webNodeServices(),
    getCredential: (id) => getDecryptedCredential(tenantId, id),
    signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
    limits: env().limits,
    onEvent: (e: EngineEvent) => {
      if (e.type === 'step.succeeded' && e.nodeId === node.id) output = e.output
      if (e.type === 'step.failed' && e.nodeId === node.id) error = e.error
    },
  }).finally(() => webNodeServices().browser.endRun(executionId).catch(() => undefined))
  const status = result.status === 'succeeded' ? 'succeeded' : result.status === 'canceled' ? 'canceled' : 'failed'
  return { status, output, error: error ?? result.error, durationMs: Date.now() - started, input }
}

async function lastInput(prisma: PrismaClient, tenantId: string, workflowId: string, nodeId: string): Promise<Item[]> {
  const step = await forTenant(prisma, tenantId).stepRun.findFirst({
    where: { nodeId, execution: { workflowId } },
    orderBy: { startedAt: 'desc' },
    select: { input: true, executionId: true },
  })
  const input = step ? await resolveInput(prisma, step.executionId, step.input) : undefined
  return Array.isArray(input) ? (input as Item[]) : [{}]
}
