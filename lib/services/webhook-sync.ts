// Keeps WebhookTrigger rows in step with a workflow's webhook-trigger nodes on every save.
// Paths are unique across the instance: a path another workflow owns is a 409 naming it.
import type { WorkflowGraph } from '../engine/graph-schema'
import { ConflictError, ValidationError } from '../errors'
import type { Prisma } from '../db/generated/client'

export const WEBHOOK_NODE_TYPE = 'webhook-trigger'
export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export interface WebhookSpec {
  nodeId: string
  path: string
  method: string
  responseMode: 'onReceived' | 'lastNode'
  timeoutMs: number
  keepAuthorizationHeader: boolean
}

export function normalizeWebhookPath(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/')
}

/** The webhook specs a graph declares; bad paths name the node field. */
export function webhookSpecs(graph: WorkflowGraph, workflowId: string): WebhookSpec[] {
  const specs: WebhookSpec[] = []
  graph.nodes.forEach((node, index) => {
    if (node.type !== WEBHOOK_NODE_TYPE || node.settings?.disabled) return
    const p = node.params as Record<string, unknown>
    const path = normalizeWebhookPath(typeof p.path === 'string' && p.path.trim() ? p.path : `${workflowId}/${node.id}`)
    if (!/^[A-Za-z0-9._~\-/]{1,200}$/.test(path)) {
      throw new ValidationError(`graph.nodes.${index}.params.path: only letters, digits, "-", "_", ".", "~" and "/" are allowed`, {
        [`graph.nodes.${index}.params.path`]: 'invalid webhook path',
      })
    }
    const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'POST'
    const responseMode = p.responseMode === 'lastNode' ? 'lastNode' : 'onReceived'
    const timeoutMs = Number(p.timeoutMs) > 0 ? Math.min(Number(p.timeoutMs), 300_000) : 30_000
    if (specs.some((s) => s.path === path)) {
      throw new ConflictError(`Webhook path "${path}" is used by two nodes of this workflow`, { path })
    }
    specs.push({ nodeId: node.id, path, method, responseMode, timeoutMs, keepAuthorizationHeader: p.keepAuthorizationHeader === true })
  })
  return specs
}

/**
 * Inside the save transaction (`tx`, tenant-scoped). Paths are unique across tenants, so the ownership check uses
 * the unscoped client; the unique index settles a race between two saves.
 */
export async function syncWebhookTriggers(
  tx: Prisma.TransactionClient,
  instance: Pick<Prisma.TransactionClient, 'webhookTrigger'>,
  tenantId: string,
  workflowId: string,
  specs: WebhookSpec[],
): Promise<void> {
  if (specs.length > 0) {
    const taken = await instance.webhookTrigger.findFirst({
      where: { path: { in: specs.map((s) => s.path) }, workflowId: { not: workflowId } },
      select: { path: true },
    })
    if (taken) throw pathTaken(taken.path)
  }
  await tx.webhookTrigger.deleteMany({ where: { workflowId } })
  if (specs.length === 0) return
  try {
    await tx.webhookTrigger.createMany({ data: specs.map((s) => ({ ...s, tenantId, workflowId })) })
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw pathTaken(specs.map((s) => s.path).join('", "'))
    throw err
  }
}

function pathTaken(path: string): ConflictError {
  return new ConflictError(`Webhook path "${path}" is already used by another workflow`, { path })
}
