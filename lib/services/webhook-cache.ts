// path → (trigger, workflow, published version) for the webhook hot path. Rows exist only for active workflows
// (lib/services/activation.ts); the version is the published one, never the draft. Entries live briefly: saves in this
// process clear the cache at once, other processes see a change within TTL_MS.
import type { Redis } from 'ioredis'
import { webhookAuthConfig, type CompiledWebhookAuth } from '../http/webhook-auth'
import type { PrismaClient } from '../db/generated/client'
import { TRIGGERS_CHANGED_CHANNEL } from './trigger-kinds'

export interface WebhookTarget {
  tenantId: string
  workflowId: string
  nodeId: string
  method: string
  responseMode: 'onReceived' | 'lastNode'
  timeoutMs: number
  keepAuthorizationHeader: boolean
  versionId: string
  versionNumber: number
  /** Test URL only: the designer's draft to run instead of the version (a draft run, Execution.graph). */
  graph?: object
  /** The trigger's caller check (lib/http/webhook-auth.ts), or null when it asks none. */
  auth: CompiledWebhookAuth | null
}

const TTL_MS = 2000
const cache = new Map<string, { at: number; target: WebhookTarget | null }>()

export function invalidateWebhookCache(): void {
  cache.clear()
}

const watched = new WeakSet<Redis>()
/**
 * Clear this cache whenever any process activates, publishes or deactivates a workflow: `sub` is a connection
 * subscribed to TRIGGERS_CHANGED_CHANNEL (AppServices.triggerChanges). Per module instance: Next's bundle and
 * server.ts's listener each hold their own cache and each attach their own listener. The TTL stays the fallback for
 * a message lost while Redis was away.
 */
export function followTriggerChanges(sub: Redis | undefined): void {
  if (!sub || watched.has(sub)) return
  watched.add(sub)
  sub.on('message', (channel: string) => {
    if (channel === TRIGGERS_CHANGED_CHANNEL) cache.clear()
  })
}

export async function findWebhookTarget(prisma: PrismaClient, path: string): Promise<WebhookTarget | null> {
  const hit = cache.get(path)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.target
  const trigger = await prisma.webhookTrigger.findUnique({
    where: { path },
    select: { tenantId: true, workflowId: true, nodeId: true, method: true, responseMode: true, timeoutMs: true, keepAuthorizationHeader: true, workflow: { select: { active: true, publishedVersion: true } } },
  })
  let target: WebhookTarget | null = null
  if (trigger && trigger.workflow.active && trigger.workflow.publishedVersion !== null) {
    const version = await prisma.workflowVersion.findUnique({
      where: { workflowId_number: { workflowId: trigger.workflowId, number: trigger.workflow.publishedVersion } },
      select: { id: true, number: true, graph: true },
    })
    if (version) {
      target = {
        tenantId: trigger.tenantId,
        workflowId: trigger.workflowId,
        nodeId: trigger.nodeId,
        method: trigger.method,
        responseMode: trigger.responseMode === 'lastNode' ? 'lastNode' : 'onReceived',
        timeoutMs: trigger.timeoutMs,
        keepAuthorizationHeader: trigger.keepAuthorizationHeader,
        versionId: version.id,
        versionNumber: version.number,
        auth: webhookAuthConfig(triggerParams(version.graph, trigger.nodeId)),
      }
    }
  }
  if (cache.size > 10_000) cache.clear()
  cache.set(path, { at: Date.now(), target })
  return target
}

/** The trigger node's params in a version's graph (the auth settings live there, not in WebhookTrigger's columns). */
function triggerParams(graph: unknown, nodeId: string): unknown {
  const nodes = (graph as { nodes?: { id?: unknown; params?: unknown }[] } | null)?.nodes
  return Array.isArray(nodes) ? nodes.find((n) => n?.id === nodeId)?.params : undefined
}
