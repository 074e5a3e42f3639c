// Starting, listing, inspecting, canceling and re-running executions. The Execution row is written ('queued')
// before the job is enqueued, so a crash between the two leaves a visible row, never an invisible job.
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors'
import type { FileService } from '../files/service'
import type { Item } from '../engine/types'
import type { ExecutionQueue, ExecutionStart } from '../queue'
import type { RealtimeEmitter } from '../realtime/emitter'
import type { Redis } from 'ioredis'
import { assertValidGraph } from './validation'
import { executionEvent } from './execution-events'
import { copyOutputs, readOutputPage } from './pg-item-store'
import { resolveInputs } from './step-input'
import { publishCancel } from './signals'
import { afterCursor, keysetPage } from './cursor'
import { hotDb } from './hot-db'
import { runLinks } from './sub-workflow-links'
import { storableJson } from '../db/json'
import { aiCostByRun, aiCostOfRun } from './run-costs'
import { flowRank, inRunOrder } from './step-order'

export interface ExecutionDeps {
  prisma: PrismaClient
  queue: ExecutionQueue
  emitter: RealtimeEmitter
  redis: Redis
}

export interface StartRequest {
  tenantId: string
  workflowId: string
  versionId: string
  versionNumber: number
  input: Item[]
  mode: string
  /** The trigger node the run starts from (webhook runs), kept in Execution.startNodeId. */
  triggerNodeId?: string
  retryOfId?: string
  /** Sub-workflow and error workflow runs: the run that started this one. */
  parentExecutionId?: string
  /** A draft run: the graph to run instead of the version's (kept on the row, Execution.graph). */
  graph?: object
}

/** `beforeEnqueue` runs between the row insert and the enqueue (the webhook subscribes to its answer there). */
export async function startExecution(deps: ExecutionDeps, req: StartRequest, beforeEnqueue?: (executionId: string) => Promise<void>): Promise<string> {
  const row = await insertExecution(deps.prisma, req)
  await beforeEnqueue?.(row.id)
  await enqueue(deps, row, startOf(req, row))
  return row.id
}

/** Inputs up to this size travel with the job, so the worker can start before its claim of the row commits. */
const START_INPUT_LIMIT = 16 * 1024

function startOf(req: StartRequest, row: { createdAt: Date }): ExecutionStart | undefined {
  if (req.retryOfId) return undefined // a re-run resumes from copied steps: the worker reads the row
  if (req.graph) return undefined // a draft run: the worker reads its graph from the row
  const size = JSON.stringify(req.input ?? null).length
  if (size > START_INPUT_LIMIT) return undefined
  return {
    tenantId: req.tenantId, workflowId: req.workflowId, versionId: req.versionId, mode: req.mode,
    startNodeId: req.triggerNodeId ?? null, input: req.input ?? null, createdAt: row.createdAt.toISOString(),
  }
}

async function insertExecution(prisma: PrismaClient, req: StartRequest) {
  const hot = req.graph ? null : hotDb(prisma)
  if (hot) {
    return hot.insertExecution({
      tenantId: req.tenantId, workflowId: req.workflowId, versionId: req.versionId, versionNumber: req.versionNumber, mode: req.mode,
      input: req.input, startNodeId: req.triggerNodeId, retryOfId: req.retryOfId, parentExecutionId: req.parentExecutionId,
    })
  }
  return prisma.execution.create({
    data: {
      tenantId: req.tenantId,
      workflowId: req.workflowId,
      versionId: req.versionId,
      versionNumber: req.versionNumber,
      mode: req.mode,
      input: storableJson(req.input) as object[],
      startNodeId: req.triggerNodeId,
      retryOfId: req.retryOfId,
      parentExecutionId: req.parentExecutionId,
      graph: req.graph,
    },
    select: { id: true, tenantId: true, workflowId: true, status: true, mode: true, createdAt: true, startedAt: true, finishedAt: true, error: true },
  })
}

async function enqueue(deps: ExecutionDeps, row: Parameters<typeof executionEvent>[0] & { id: string; tenantId: string }, start?: ExecutionStart) {
  try {
    await deps.queue.enqueue(row.id, start, { tenantId: row.tenantId, workflowId: row.workflowId })
  } catch (err) {
    await deps.prisma.execution.update({
      where: { id: row.id },
      data: { status: 'failed', finishedAt: new Date(), error: { name: 'QueueError', message: 'Could not enqueue the execution' } },
    })
    throw err
  }
  deps.emitter.executionUpdated(row.tenantId, executionEvent(row))
}

/** POST /api/workflows/:id/run — the current version unless `version` is given; invalid graphs are a 400. */
export async function runWorkflowNow(deps: ExecutionDeps, tenantId: string, workflowId: string, opts: { input?: Item[]; version?: number }) {
  const db = forTenant(deps.prisma, tenantId)
  const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { currentVersion: true } })
  if (!wf) throw new NotFoundError('Workflow')
  const number = opts.version ?? wf.currentVersion
  const version = await db.workflowVersion.findFirst({ where: { workflowId, number }, select: { id: true, number: true, graph: true } })
  if (!version) throw new NotFoundError(`Version ${number}`)
  assertValidGraph(version.graph)
  const executionId = await startExecution(deps, {
    tenantId,
    workflowId,
    versionId: version.id,
    versionNumber: version.number,
    input: opts.input ?? [{}],
    mode: 'manual',
  })
  return { executionId }
}

export interface ListFilter {
  workflowId?: string
  status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'
  since?: Date
  until?: Date
  cursor?: string
  limit: number
}

export async function listExecutions(prisma: PrismaClient, tenantId: string, f: ListFilter) {
  const rows = await forTenant(prisma, tenantId).execution.findMany({
    where: {
      workflowId: f.workflowId,
      status: f.status,
      createdAt: f.since || f.until ? { gte: f.since, lt: f.until } : undefined,
      OR: afterCursor(f.cursor, 'createdAt'),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    select: {
      id: true, workflowId: true, versionNumber: true, mode: true, status: true, createdAt: true, startedAt: true, finishedAt: true, error: true,
      workflow: { select: { name: true } },
    },
  })
  const { page, nextCursor } = keysetPage(rows, f.limit, (r) => r.createdAt)
  const costs = await aiCostByRun(prisma, tenantId, page.map((r) => r.id))
  return {
    executions: page.map(({ workflow, ...r }) => ({ ...r, workflowName: workflow.name, aiCostUsd: costs.get(r.id) ?? null })),
    nextCursor,
    serverTime: new Date().toISOString(),
  }
}

export async function getExecution(prisma: PrismaClient, tenantId: string, id: string) {
  const db = forTenant(prisma, tenantId)
  const row = await db.execution.findFirst({ where: { id }, include: { workflow: { select: { name: true } } } })
  if (!row) throw new NotFoundError('Execution')
  const [steps, rank] = await Promise.all([
    db.stepRun.findMany({
      where: { executionId: id },
      select: {
        id: true, nodeId: true, nodeName: true, nodeType: true, attempt: true, iteration: true, status: true, input: true, inputCount: true,
        output: true, outputCounts: true, error: true, logs: true, startedAt: true, finishedAt: true, durationMs: true,
      },
    }),
    versionFlowRank(prisma, tenantId, row.versionId),
  ])
  const { workflow, ...execution } = row
  const [links, cost] = await Promise.all([runLinks(prisma, tenantId, row), aiCostOfRun(prisma, tenantId, id)])
  // serverTime: the browser measures running durations against this clock, not its own (which may be off).
  return { ...execution, workflowName: workflow.name, steps: resolveInputs(inRunOrder(steps, rank)), ...links, ...cost, serverTime: new Date().toISOString() }
}

/** The flow order of the version's nodes, read from its graph without loading the graph's parameters. */
async function versionFlowRank(prisma: PrismaClient, tenantId: string, versionId: string): Promise<Map<string, number>> {
  const [row] = await prisma.$queryRaw<Array<{ nodes: string[] | null; edges: Array<{ source: string; target: string }> | null }>>`
    SELECT (SELECT jsonb_agg(n->>'id') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v."graph"->'nodes') = 'array' THEN v."graph"->'nodes' ELSE '[]'::jsonb END) n) AS "nodes",
           (SELECT jsonb_agg(jsonb_build_object('source', e->>'source', 'target', e->>'target'))
              FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v."graph"->'edges') = 'array' THEN v."graph"->'edges' ELSE '[]'::jsonb END) e) AS "edges"
    FROM "WorkflowVersion" v WHERE v."id" = ${versionId} AND v."tenantId" = ${tenantId}`
  return flowRank(row?.nodes ?? [], row?.edges ?? [])
}

export async function getStepItems(prisma: PrismaClient, tenantId: string, executionId: string, nodeId: string, port: string, page: number, pageSize: number) {
  const owned = await forTenant(prisma, tenantId).execution.findFirst({ where: { id: executionId }, select: { id: true } })
  if (!owned) throw new NotFoundError('Execution')
  const { items, total } = await readOutputPage(prisma, executionId, nodeId, port, page, pageSize)
  return { items, page, pageSize, total }
}

export async function cancelExecution(deps: ExecutionDeps, tenantId: string, id: string) {
  const db = forTenant(deps.prisma, tenantId)
  const row = await db.execution.findFirst({ where: { id }, select: { status: true } })
  if (!row) throw new NotFoundError('Execution')
  if (row.status !== 'queued' && row.status !== 'running') return { status: row.status }
  await deps.queue.remove(id)
  // The row says canceled at once; a worker running it aborts on the signal and leaves the status alone.
  const updated = await deps.prisma.execution.updateManyAndReturn({
    where: { id, tenantId, status: { in: ['queued', 'running'] } },
    data: { status: 'canceled', finishedAt: new Date() },
  })
  await publishCancel(deps.redis, id)
  if (updated[0]) deps.emitter.executionUpdated(tenantId, executionEvent(updated[0]))
  return { status: 'canceled' as const }
}

/** What deleting runs needs of the file store. */
export type RunFileCleanup = Pick<FileService, 'deleteForExecutions'>

/**
 * What an execution row's delete does not take with it: its files (bytes in the blob store) and its output pages
 * (no foreign key, for write speed). Call before deleting the rows; a file a still-running step writes afterwards
 * loses its execution with the row (ON DELETE SET NULL) and goes with the next sweep.
 */
export async function deleteRunData(prisma: PrismaClient, files: RunFileCleanup, tenantId: string, executionIds: string[]): Promise<void> {
  if (executionIds.length === 0) return
  await files.deleteForExecutions(tenantId, executionIds)
  await prisma.stepOutputPage.deleteMany({ where: { executionId: { in: executionIds } } })
}

/** DELETE /api/executions/:id — its files, output and steps; a queued or running one is a 409 (cancel it first). */
export async function deleteExecution(prisma: PrismaClient, files: RunFileCleanup, tenantId: string, id: string): Promise<void> {
  const db = forTenant(prisma, tenantId)
  const row = await db.execution.findFirst({ where: { id }, select: { status: true } })
  if (!row) throw new NotFoundError('Execution')
  if (row.status === 'queued' || row.status === 'running') throw new ConflictError('The execution is still running; cancel it first')
  await deleteRunData(prisma, files, tenantId, [id])
  await db.execution.deleteMany({ where: { id } })
}

/**
 * Same input; `version` 'original' re-runs what the execution ran (its version, or a draft run's own graph, copied),
 * 'current' the workflow's newest saved version (after a fix). fromFailedStep copies the settled steps (rows and outputs) so they are not run again; with the
 * current version only those of nodes it still has, of the same type.
 */
export async function retryExecution(deps: ExecutionDeps, tenantId: string, id: string, fromFailedStep: boolean, version: 'original' | 'current' = 'original') {
  const db = forTenant(deps.prisma, tenantId)
  const old = await db.execution.findFirst({ where: { id } })
  if (!old) throw new NotFoundError('Execution')
  if (old.status === 'queued' || old.status === 'running') throw new AppError(409, 'CONFLICT', 'The execution is still running; cancel it first')
  let target = { id: old.versionId, number: old.versionNumber }
  // A draft run's re-run runs the same graph: an execution runs the graph it was started with.
  let ownGraph = old.graph ?? undefined
  let keep: ((nodeId: string, nodeType: string) => boolean) | undefined
  if (version === 'current') {
    const wf = await db.workflow.findFirst({ where: { id: old.workflowId }, select: { currentVersion: true } })
    if (!wf) throw new NotFoundError('Workflow')
    const v = await db.workflowVersion.findFirst({ where: { workflowId: old.workflowId, number: wf.currentVersion }, select: { id: true, number: true, graph: true } })
    if (!v) throw new NotFoundError(`Version ${wf.currentVersion}`)
    const graph = assertValidGraph(v.graph)
    if (old.startNodeId && !graph.nodes.some((n) => n.id === old.startNodeId)) {
      throw new ValidationError(`version: the current version has no trigger "${old.startNodeId}" to start from`, { version: 'trigger node removed' })
    }
    const types = new Map(graph.nodes.map((n) => [n.id, n.type]))
    keep = (nodeId, nodeType) => types.get(nodeId) === nodeType
    target = { id: v.id, number: v.number }
    ownGraph = undefined
  }
  const row = await deps.prisma.execution.create({
    data: {
      tenantId,
      workflowId: old.workflowId,
      versionId: target.id,
      versionNumber: target.number,
      mode: old.mode,
      input: old.input ?? undefined,
      retryOfId: old.id,
      startNodeId: old.startNodeId,
      graph: ownGraph as object | undefined,
    },
  })
  if (fromFailedStep) await copySettledSteps(deps.prisma, old.id, row.id, keep)
  await enqueue(deps, row)
  return { executionId: row.id, versionNumber: target.number }
}

async function copySettledSteps(prisma: PrismaClient, fromId: string, toId: string, keep?: (nodeId: string, nodeType: string) => boolean) {
  const settled = (await prisma.stepRun.findMany({ where: { executionId: fromId, status: { in: ['succeeded', 'skipped'] } } })).filter(
    (s) => !keep || keep(s.nodeId, s.nodeType),
  )
  if (settled.length === 0) return
  const latest = new Map<string, (typeof settled)[number]>()
  for (const s of settled) if ((latest.get(s.nodeId)?.attempt ?? 0) < s.attempt) latest.set(s.nodeId, s)
  await prisma.stepRun.createMany({
    data: [...latest.values()].map(({ id: _id, executionId: _e, input, output, outputCounts, error, logs, ...s }) => ({
      ...s,
      executionId: toId,
      input: input ?? undefined,
      output: output ?? undefined,
      outputCounts: outputCounts ?? undefined,
      error: error ?? undefined,
      logs: logs ?? undefined,
    })),
  })
  await copyOutputs(prisma, fromId, toId, [...latest.keys()])
}

export async function executionStats(prisma: PrismaClient, tenantId: string) {
  const db = forTenant(prisma, tenantId)
  const since = new Date(Date.now() - 24 * 3600 * 1000)
  const [running, queued, succeeded24h, failed24h] = await Promise.all([
    db.execution.count({ where: { status: 'running' } }),
    db.execution.count({ where: { status: 'queued' } }),
    db.execution.count({ where: { status: 'succeeded', createdAt: { gte: since } } }),
    db.execution.count({ where: { status: 'failed', createdAt: { gte: since } } }),
  ])
  return { running, queued, succeeded24h, failed24h }
}

export function parseDate(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) throw new ValidationError(`${field}: not a date`, { [field]: 'not a date' })
  return d
}
