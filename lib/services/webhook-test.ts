// Test webhooks, as n8n has them: the designer "listens" on /api/webhooks-test/<path> for a while, and the first
// request there runs the workflow once (mode 'webhook-test'), whether or not the workflow is active: its autosaved
// draft when it has a valid one (a draft run, ./workflow-drafts.ts), else its newest version.
// The listening is a Redis key per path (all web processes see it), taken by the request that uses it.
import { webhookAuthConfig } from '../http/webhook-auth'
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/generated/client'
import { workflowGraphSchema } from '../engine/graph-schema'
import { forTenant } from '../db/scope'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { webhookSpecs, WEBHOOK_NODE_TYPE } from './webhook-sync'
import { checkGraph } from './validation'
import type { WebhookTarget } from './webhook-cache'

export const TEST_LISTEN_SECONDS = 120
export const TEST_WEBHOOK_MODE = 'webhook-test'
const key = (path: string) => `auterity:webhook-test:${path}`

interface Listening {
  tenantId: string
  workflowId: string
  nodeId: string
}

export interface TestWebhookDeps {
  prisma: PrismaClient
  redis: Redis
}

async function draftSpec(prisma: PrismaClient, tenantId: string, workflowId: string, nodeId: string) {
  const db = forTenant(prisma, tenantId)
  const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { currentVersion: true, draftGraph: true, draftBaseVersion: true } })
  if (!wf) throw new NotFoundError('Workflow')
  const version = await db.workflowVersion.findFirst({ where: { workflowId, number: wf.currentVersion }, select: { id: true, number: true, graph: true } })
  if (!version) throw new NotFoundError(`Version ${wf.currentVersion}`)
  // The designer's draft when it is runnable (one with problems would only fail): the graph on screen is tested.
  const checked = wf.draftGraph !== null && wf.draftBaseVersion === wf.currentVersion ? checkGraph(wf.draftGraph) : null
  const draft = checked?.graph && checked.problems.length === 0 ? checked.graph : undefined
  const graph = draft ?? workflowGraphSchema.parse(version.graph)
  const node = graph.nodes.find((n) => n.id === nodeId)
  if (!node || node.type !== WEBHOOK_NODE_TYPE) return null
  const spec = webhookSpecs(graph, workflowId).find((s) => s.nodeId === nodeId)
  return spec ? { spec, version, params: node.params, draft } : null
}

/** POST /api/workflows/:id/webhook-test: listen on the node's test URL (of the saved draft) for TEST_LISTEN_SECONDS. */
export async function listenForTestWebhook(deps: TestWebhookDeps, tenantId: string, workflowId: string, nodeId: string) {
  const found = await draftSpec(deps.prisma, tenantId, workflowId, nodeId)
  if (!found) throw new ValidationError(`nodeId: "${nodeId}" is not an enabled Webhook node of the workflow's draft or saved version`, { nodeId: 'not a webhook node of the workflow' })
  const { path, method } = found.spec
  const mine: Listening = { tenantId, workflowId, nodeId }
  const taken = await deps.redis.get(key(path))
  if (taken) {
    const other = JSON.parse(taken) as Listening
    if (other.workflowId !== workflowId || other.tenantId !== tenantId) {
      throw new ConflictError(`Another workflow is listening on the test URL "${path}"; try again in up to ${TEST_LISTEN_SECONDS} s or change the path`, { path })
    }
  }
  await deps.redis.set(key(path), JSON.stringify(mine), 'EX', TEST_LISTEN_SECONDS)
  return { nodeId, path, method, expiresAt: new Date(Date.now() + TEST_LISTEN_SECONDS * 1000).toISOString() }
}

/** DELETE /api/workflows/:id/webhook-test: stop listening (only this workflow's own key). */
export async function stopTestWebhook(deps: TestWebhookDeps, tenantId: string, workflowId: string, nodeId: string): Promise<void> {
  const found = await draftSpec(deps.prisma, tenantId, workflowId, nodeId)
  if (!found) return
  const taken = await deps.redis.get(key(found.spec.path))
  if (!taken) return
  const other = JSON.parse(taken) as Listening
  if (other.workflowId === workflowId && other.tenantId === tenantId) await deps.redis.del(key(found.spec.path))
}

/**
 * The ingress's look-up for /api/webhooks-test/<path>: the listening draft's target, or null. The method is checked
 * before the listening is used up (a wrong method leaves it for the right request); the first request to take the
 * key runs, a concurrent second one gets null.
 */
export async function takeTestTarget(deps: TestWebhookDeps, path: string, method: string): Promise<WebhookTarget | { wrongMethod: string } | null> {
  const raw = await deps.redis.get(key(path))
  if (!raw) return null
  const listening = JSON.parse(raw) as Listening
  const found = await draftSpec(deps.prisma, listening.tenantId, listening.workflowId, listening.nodeId)
  if (!found || found.spec.path !== path) return null
  if (found.spec.method !== method) return { wrongMethod: found.spec.method }
  if ((await deps.redis.del(key(path))) === 0) return null
  return {
    tenantId: listening.tenantId,
    workflowId: listening.workflowId,
    nodeId: listening.nodeId,
    method: found.spec.method,
    responseMode: found.spec.responseMode,
    timeoutMs: found.spec.timeoutMs,
    keepAuthorizationHeader: found.spec.keepAuthorizationHeader,
    versionId: found.version.id,
    versionNumber: found.version.number,
    graph: found.draft,
    // The test URL asks the same of its caller as the published one will.
    auth: webhookAuthConfig(found.params),
  }
}
