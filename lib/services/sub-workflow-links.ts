// Which run started which: one SubWorkflowRun row per child run (Execute Workflow, error workflows, agent tools),
// written before the child can start. Its depth is what caps nesting across workers and processes, and its parent
// index is how a run lists the runs it started.
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'

export interface SubWorkflowLink {
  tenantId: string
  executionId: string
  parentExecutionId: string
  parentNodeId?: string | null
  depth: number
}

/** How deep a run is: 0 for a top-level run (or one this table does not know), its link's depth for a child. */
export async function depthOf(prisma: PrismaClient, tenantId: string, executionId: string): Promise<number> {
  const link = await forTenant(prisma, tenantId).subWorkflowRun.findFirst({ where: { executionId }, select: { depth: true } })
  return link?.depth ?? 0
}

export async function recordLink(prisma: PrismaClient, link: SubWorkflowLink): Promise<void> {
  await prisma.subWorkflowRun.create({
    data: { executionId: link.executionId, tenantId: link.tenantId, parentExecutionId: link.parentExecutionId, parentNodeId: link.parentNodeId ?? null, depth: link.depth },
  })
}

/** The message of a step refused for nesting too deep (a workflow calling itself stops here). */
export function depthMessage(depth: number, maxDepth: number): string {
  return `Sub-workflows nest too deep: this run would be at depth ${depth} of a chain of runs started by runs, over the limit of ${maxDepth} (AUTERITY_MAX_SUBWORKFLOW_DEPTH). Does a workflow call itself?`
}

export interface RunLinks {
  /** The run that started this one. */
  parent: { id: string; workflowName: string; nodeId: string | null } | null
  /** The runs this one started, newest first (at most `limit`). */
  children: { id: string; workflowId: string; workflowName: string; status: string; mode: string; nodeId: string | null; createdAt: Date }[]
}

/** GET /api/executions/:id's `parent` and `children`. */
export async function runLinks(prisma: PrismaClient, tenantId: string, execution: { id: string; parentExecutionId: string | null }, limit = 50): Promise<RunLinks> {
  const db = forTenant(prisma, tenantId)
  const [own, parentRow, links] = await Promise.all([
    db.subWorkflowRun.findFirst({ where: { executionId: execution.id }, select: { parentNodeId: true } }),
    execution.parentExecutionId
      ? db.execution.findFirst({ where: { id: execution.parentExecutionId }, select: { id: true, workflow: { select: { name: true } } } })
      : null,
    db.subWorkflowRun.findMany({ where: { parentExecutionId: execution.id }, orderBy: { createdAt: 'desc' }, take: limit, select: { executionId: true, parentNodeId: true } }),
  ])
  const rows = links.length
    ? await db.execution.findMany({
        where: { id: { in: links.map((l) => l.executionId) } },
        select: { id: true, workflowId: true, status: true, mode: true, createdAt: true, workflow: { select: { name: true } } },
      })
    : []
  const byId = new Map(rows.map((r) => [r.id, r]))
  return {
    parent: parentRow ? { id: parentRow.id, workflowName: parentRow.workflow.name, nodeId: own?.parentNodeId ?? null } : null,
    children: links.flatMap((l) => {
      const r = byId.get(l.executionId)
      return r ? [{ id: r.id, workflowId: r.workflowId, workflowName: r.workflow.name, status: r.status, mode: r.mode, nodeId: l.parentNodeId, createdAt: r.createdAt }] : []
    }),
  }
}
