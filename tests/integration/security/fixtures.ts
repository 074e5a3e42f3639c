// One row of every resource type in a workspace, for the security tests: the role matrix calls each route with the
// real ids, and the cross-tenant test calls workspace A's routes with B's. Rows are written straight to PostgreSQL
// (most need no more than their required columns); the workflow and credential go through their route handlers so
// they carry a real version and an encrypted secret.
import { randomBytes, randomUUID } from 'node:crypto'
import path from 'node:path'
import type { PrismaClient } from '../../../lib/db/client'
import { sessionCookie } from '../../helpers/session'
import { displayPrefix, generateApiKey, hashApiKey } from '../../../lib/auth/api-keys'
import type { Role } from '../../../lib/auth/roles'
import { getCredentialStore } from '../../../lib/credentials'
import { ROUTE_ROLES, type Method, type RouteRole } from './route-roles'

export interface Resources {
  tenantId: string
  workflowId: string
  /** A workflow folder, holding the workflow. */
  folderId: string
  versionId: string
  executionId: string
  credentialId: string
  templateId: string
  collection: string
  eventId: string
  deliveryId: string
  fileId: string
  messageId: string
  campaignId: string
  evaluationId: string
  modelId: string
  deploymentId: string
  budgetId: string
  fineTuneId: string
  auditId: string
  /** A second member (not the caller), an API key of theirs and an open invite. */
  memberId: string
  apiKeyId: string
  inviteId: string
}

/** A member with `role`: headers for a same-origin session-cookie call, and for an API key of the same role. */
export interface Caller {
  role: Role
  userId: string
  session: Record<string, string>
  key: Record<string, string>
  apiKeyId: string
}

export async function addCaller(prisma: PrismaClient, tenantId: string, role: Role): Promise<Caller> {
  const user = await prisma.user.create({ data: { email: `${role}-${randomBytes(4).toString('hex')}@example.test` } })
  await prisma.membership.create({ data: { tenantId, userId: user.id, role } })
  const apiKey = generateApiKey()
  const key = await prisma.apiKey.create({
    data: { tenantId, userId: user.id, name: role, prefix: displayPrefix(apiKey), hash: hashApiKey(apiKey), role },
  })
  const { cookie } = await sessionCookie(prisma, { userId: user.id, tenantId })
  return { role, userId: user.id, session: { cookie, origin: 'http://localhost' }, key: { authorization: `Bearer ${apiKey}` }, apiKeyId: key.id }
}

export async function seedResources(prisma: PrismaClient, tenantId: string): Promise<Resources> {
  const graph = { nodes: [{ id: 'trigger', type: 'manual-trigger', name: 'Manual trigger', params: {}, position: { x: 0, y: 0 } }], edges: [], notes: [] }
  const folder = await prisma.workflowFolder.create({ data: { tenantId, name: 'Folder' } })
  const wf = await prisma.workflow.create({ data: { tenantId, name: 'Flow', currentVersion: 1, folderId: folder.id, tags: ['fixture'] } })
  const version = await prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph } })
  const execution = await prisma.execution.create({
    data: { tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, mode: 'manual', status: 'failed' },
  })
  // Sealed by the vault as a saved credential is, so a change to it reaches its row and its secret opens.
  const credential = await getCredentialStore().create(tenantId, { name: 'Cred', kind: 'bearer', data: { token: 'fixture-token' } })
  const template = await prisma.template.create({ data: { tenantId, name: 'Tpl', category: 'general', currentVersion: 1 } })
  await prisma.templateVersion.create({ data: { tenantId, templateId: template.id, number: 1, graph } })
  const collection = `docs-${randomBytes(3).toString('hex')}`
  await prisma.vectorCollection.create({ data: { tenantId, name: collection, embedding: 'none', dimension: 3 } })
  const event = await prisma.event.create({ data: { tenantId, name: 'order.created', payload: {} } })
  const delivery = await prisma.eventDelivery.create({
    data: { tenantId, eventId: event.id, workflowId: wf.id, nodeId: 'trigger', versionId: version.id, maxAttempts: 1, retryDelayMs: 0, status: 'failed' },
  })
  const file = await prisma.file.create({
    data: { id: randomUUID(), tenantId, name: 'a.txt', mimeType: 'text/plain', size: 1n, sha256: '0'.repeat(64), storageKey: `k/${randomUUID()}` },
  })
  const message = await prisma.message.create({
    data: { tenantId, channel: 'sms', direction: 'outbound', provider: 'twilio', from: '+15550000001', to: '+15550000002', status: 'sent' },
  })
  const campaign = await prisma.messagingCampaign.create({
    data: {
      tenantId, name: 'Camp', credentialId: credential.id, from: '+15550000001', body: 'hi', recipients: [],
      sendAt: new Date(Date.now() + 86_400_000), timeZone: 'UTC', localTime: '09:00',
    },
  })
  const evaluation = await prisma.aiEvaluation.create({ data: { tenantId, name: 'Eval', dataset: [], scorer: {} } })
  const model = await prisma.aiModel.create({ data: { tenantId, name: `m-${randomBytes(3).toString('hex')}`, provider: 'openai', modelId: 'gpt-x' } })
  const deployment = await prisma.aiDeployment.create({ data: { tenantId, name: `d-${randomBytes(3).toString('hex')}`, aiModelId: model.id } })
  const budget = await prisma.aiBudget.create({ data: { tenantId, period: 'month', limitUsd: 10 } })
  const fineTune = await prisma.aiFineTuneJob.create({
    data: { tenantId, baseDeploymentId: deployment.id, providerJobId: 'ft-1', trainingFileId: 'file-1', status: 'running' },
  })
  const audit = await prisma.auditLog.create({ data: { tenantId, action: 'workflow.create' } })
  // AI usage (the usage page aggregates it by model, workflow and deployment, each of which names this workspace's rows).
  await prisma.aiUsage.create({
    data: { tenantId, workflowId: wf.id, executionId: execution.id, stepId: 'trigger', target: deployment.name, deploymentId: deployment.id, deploymentName: deployment.name, provider: 'openai', model: 'gpt-x', inputTokens: 10, outputTokens: 5, costUsd: '0.25', latencyMs: 12, outcome: 'ok' },
  })
  const member = await prisma.user.create({ data: { email: `member-${randomBytes(4).toString('hex')}@example.test` } })
  await prisma.membership.create({ data: { tenantId, userId: member.id, role: 'editor' } })
  const secret = generateApiKey()
  const apiKey = await prisma.apiKey.create({ data: { tenantId, userId: member.id, name: 'member key', prefix: displayPrefix(secret), hash: hashApiKey(secret), role: 'editor' } })
  const invite = await prisma.invite.create({
    data: { tenantId, email: `invitee-${randomBytes(4).toString('hex')}@example.test`, role: 'viewer', tokenHash: randomBytes(32).toString('hex'), expiresAt: new Date(Date.now() + 86_400_000) },
  })
  return {
    tenantId, workflowId: wf.id, folderId: folder.id, versionId: version.id, executionId: execution.id, credentialId: credential.id, templateId: template.id,
    collection, eventId: event.id, deliveryId: delivery.id, fileId: file.id, messageId: message.id, campaignId: campaign.id,
    evaluationId: evaluation.id, modelId: model.id, deploymentId: deployment.id, budgetId: budget.id, fineTuneId: fineTune.id, auditId: audit.id,
    memberId: member.id, apiKeyId: apiKey.id, inviteId: invite.id,
  }
}

/** Which seeded row a route's [param] names, from the route's path. An unknown route gets an id that matches nothing. */
export function paramsFor(routePath: string, r: Resources): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {}
  const byPrefix: [string, string][] = [
    ['/api/workflows/', r.workflowId],
    ['/api/workflow-folders/', r.folderId],
    ['/api/executions/', r.executionId],
    ['/api/credentials/', r.credentialId],
    ['/api/templates/', r.templateId],
    ['/api/events/deliveries/', r.deliveryId],
    ['/api/events/', r.eventId],
    ['/api/files/', r.fileId],
    ['/api/messaging/messages/', r.messageId],
    ['/api/messaging/campaigns/', r.campaignId],
    ['/api/ai/evaluations/', r.evaluationId],
    ['/api/ai/models/', r.modelId],
    ['/api/ai/deployments/', r.deploymentId],
    ['/api/ai/budgets/', r.budgetId],
    ['/api/ai/fine-tunes/', r.fineTuneId],
    ['/api/audit/', r.auditId],
    ['/api/api-keys/', r.apiKeyId],
    ['/api/invites/', r.inviteId],
  ]
  for (const m of routePath.matchAll(/\[(\.\.\.)?(\w+)\]/g)) {
    const name = m[2]
    let value = `missing-${name}`
    if (name === 'id') value = byPrefix.find(([p]) => routePath.startsWith(p))?.[1] ?? value
    else if (name === 'userId') value = r.memberId
    else if (name === 'name') value = r.collection
    else if (name === 'n') value = '1'
    else if (name === 'nodeId') value = 'trigger'
    else if (name === 'key') value = 'doc'
    params[name] = m[1] ? [value] : value
  }
  return params
}

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response

/** The route module's handler for `method`, imported as Next would load it. */
export async function handlerOf(route: RouteRole): Promise<Handler> {
  const file = path.resolve(import.meta.dirname, '../../../app', `.${route.path}`, 'route.ts')
  const mod = (await import(file)) as Partial<Record<Method, Handler>>
  const handler = mod[route.method]
  if (!handler) throw new Error(`${route.path} exports no ${route.method}`)
  return handler
}

export const AUTHED_ROUTES = ROUTE_ROLES.filter((r): r is RouteRole & { role: Role } => r.role !== 'public')

/**
 * The smallest body each change accepts, so a call reaches the row lookup rather than stopping at a missing field
 * (a 400 that proves nothing about the row). Routes not listed get `{}`.
 */
const ONE_TRIGGER = { nodes: [{ id: 'trigger', type: 'manual-trigger', name: 'Manual trigger', position: { x: 0, y: 0 }, params: {} }], edges: [], notes: [] }
const BODIES: Record<string, (r: Resources) => unknown> = {
  'POST /api/collections/[name]/documents': () => ({ documents: [{ key: 'doc', text: 'hello' }] }),
  'POST /api/collections/[name]/query': () => ({ query: 'hello' }),
  'DELETE /api/collections/[name]/documents': () => ({ all: true }),
  'POST /api/templates/[id]/rollback': () => ({ version: 1 }),
  'POST /api/templates/[id]/versions': (r) => ({ workflowId: r.workflowId }),
  'PUT /api/workflows/[id]': () => ({ baseVersion: 1, name: 'Renamed' }),
  'PUT /api/workflows/[id]/tags': () => ({ tags: ['moved'] }),
  'PUT /api/workflow-folders/[id]': () => ({ name: 'Renamed folder' }),
  'POST /api/workflows/bulk': (r) => ({ action: 'deactivate', ids: [r.workflowId] }),
  'POST /api/executions/bulk/delete': (r) => ({ ids: [r.executionId] }),
  'POST /api/executions/bulk/retry': (r) => ({ ids: [r.executionId] }),
  'POST /api/workflows/[id]/template/upgrade': () => ({ to: 1, baseVersion: 1 }),
  'POST /api/workflows/[id]/test-step': () => ({ nodeId: 'trigger' }),
  'PUT /api/workflows/[id]/draft': () => ({ baseVersion: 1, graph: ONE_TRIGGER }),
  'POST /api/workflows/[id]/draft/run': () => ({ graph: ONE_TRIGGER }),
  'POST /api/workflows/[id]/webhook-test': () => ({ nodeId: 'trigger' }),
  'PATCH /api/members/[userId]': () => ({ role: 'viewer' }),
}
const QUERIES: Record<string, string> = {
  'GET /api/workflows/export': '?ids=missing',
  'DELETE /api/workflows/[id]/webhook-test': '?nodeId=trigger',
}

/** Calls a handler in-process as Next would, with the route's params and minimal body for the rows of `r`. */
export async function callRoute(handler: Handler, route: RouteRole, r: Resources, headers: Record<string, string>, body?: unknown) {
  const params = paramsFor(route.path, r)
  const key = `${route.method} ${route.path}`
  const url = `http://localhost${route.path.replace(/\[(\.\.\.)?(\w+)\]/g, (_, __, n: string) => [params[n]].flat().join('/'))}${QUERIES[key] ?? ''}`
  const init: RequestInit = { method: route.method, headers: { 'content-type': 'application/json', ...headers } }
  if (route.method !== 'GET' && route.method !== 'HEAD') init.body = JSON.stringify(body ?? BODIES[key]?.(r) ?? {})
  const res = await handler(new Request(url, init), { params: Promise.resolve(params) })
  const text = await res.text()
  let json: any = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = text
  }
  return { status: res.status, json }
}

/**
 * Every row of the workspace's tables (any table with a tenantId column), as one comparable string. Left out: what a
 * request touches by design whoever it is and whatever it may do (an API key's last-used time, sessions' last-seen
 * times, the audit log recording a refusal).
 */
export async function snapshot(prisma: PrismaClient, tenantId: string): Promise<string> {
  const tables = await prisma.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.columns WHERE column_name = 'tenantId' AND table_schema = current_schema() ORDER BY table_name`,
  )
  const skip = new Set(['UserSession', 'AuditLog'])
  const volatile: Record<string, string[]> = { ApiKey: ['lastUsedAt'] }
  const parts: string[] = []
  for (const { table_name } of tables) {
    if (skip.has(table_name)) continue
    const rows = await prisma.$queryRawUnsafe<{ j: unknown }[]>(
      `SELECT coalesce(json_agg(to_jsonb(t) - $2::text[] ORDER BY t::text), '[]'::json) AS j FROM "${table_name}" t WHERE "tenantId" = $1`,
      tenantId,
      volatile[table_name] ?? [],
    )
    parts.push(`${table_name}:${JSON.stringify(rows[0]?.j)}`)
  }
  return parts.join('\n')
}
