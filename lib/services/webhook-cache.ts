// path → (trigger, workflow, published version) for the webhook hot path. Rows exist only for active workflows
// (lib/services/activation.ts); the version is the published one, never the draft. Entries live briefly: saves in this
// process clear the cache at once, other processes see a change within TTL_MS.
import type { PrismaClient } from '../db/generated/client'

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
}

const TTL_MS = 2000
const cache = new Map<string, { at: number; target: WebhookTarget | null }>()

export function invalidateWebhookCache(): void {
  cache.clear()
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
      select: { id: true, number: true },
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
      }
    }
  }
  if (cache.size > 10_000) cache.clear()
  cache.set(path, { at: Date.now(), target })
  return target
}
