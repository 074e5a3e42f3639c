// Live versions. A workflow's saved versions are drafts; at most one, `publishedVersion`, runs in production, and
// only while the workflow is `active`. Its listening triggers exist only then: WebhookTrigger rows (looked up by
// path) and TriggerRegistration rows (schedules, events, brokers…), both written from the published graph when the
// workflow is activated or published and deleted when it is deactivated. Saving a draft touches neither.
import type { Redis } from 'ioredis'
import type { Prisma, PrismaClient } from '../db/generated/client'
import type { WorkflowGraph } from '../engine/graph-schema'
import { forTenant } from '../db/scope'
import { AppError, NotFoundError, ValidationError } from '../errors'
import { nodeDefinitions } from '../nodes/registry'
import type { RegisteredNodeType } from '../nodes/define'
import { assertValidGraph } from './validation'
import { syncWebhookTriggers, webhookSpecs, type WebhookSpec } from './webhook-sync'
import { invalidateWebhookCache } from './webhook-cache'
import { publishTriggersChanged, triggerKinds, type RegistrationSpec } from './trigger-kinds'
import type { Actor } from './workflows'

export interface ActivationDeps {
  prisma: PrismaClient
  redis: Pick<Redis, 'publish'>
}

export interface LiveState {
  id: string
  active: boolean
  publishedVersion: number | null
  currentVersion: number
}

const definitions: ReadonlyMap<string, RegisteredNodeType> = new Map(nodeDefinitions.map((d) => [d.type, d]))

/** The trigger kinds that start runs by request, not by listening: a workflow with only these has nothing to activate. */
const ON_REQUEST = new Set(['manual'])

/** The registrations a graph's listening trigger nodes make (webhooks excepted: webhookSpecs). Bad params name the field. */
export function registrationSpecs(graph: WorkflowGraph): RegistrationSpec[] {
  const specs: RegistrationSpec[] = []
  graph.nodes.forEach((node, nodeIndex) => {
    const def = definitions.get(node.type)
    if (!def?.trigger || !def.listen || node.settings?.disabled) return
    const parsed = def.params.safeParse(node.params ?? {})
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const path = ['graph', 'nodes', String(nodeIndex), 'params', ...issue.path.map(String)].join('.')
      throw new ValidationError(`${path}: ${issue.message}`, { [path]: issue.message })
    }
    const config = parsed.data as Record<string, unknown>
    specs.push({ nodeId: node.id, nodeIndex, nodeType: node.type, kind: def.trigger.kind, key: def.listen.key?.(config) ?? '', config })
  })
  return specs
}

function listeningTriggers(graph: WorkflowGraph): number {
  return graph.nodes.filter((n) => {
    const kind = definitions.get(n.type)?.trigger?.kind
    return kind !== undefined && !ON_REQUEST.has(kind) && !n.settings?.disabled
  }).length
}

/**
 * Inside a transaction: make `number` the live version of an active workflow. Refused (nothing changes) when the
 * graph is invalid, has no trigger to activate, a webhook path is another workflow's, or a kind's check says no.
 */
export async function goLive(
  tx: Prisma.TransactionClient,
  prisma: PrismaClient,
  tenantId: string,
  workflowId: string,
  version: { id: string; number: number; graph: unknown },
): Promise<void> {
  const graph = assertValidGraph(version.graph)
  if (listeningTriggers(graph) === 0) {
    throw new AppError(400, 'NOTHING_TO_ACTIVATE', 'The workflow has no trigger that listens (webhook, schedule, event, broker…): run it by hand instead', {
      fields: { 'graph.nodes': 'no trigger to activate' },
    })
  }
  const hooks: WebhookSpec[] = webhookSpecs(graph, workflowId)
  const regs = registrationSpecs(graph)
  for (const spec of regs) await triggerKinds[spec.kind]?.check?.(spec, { prisma, tenantId, workflowId })
  await tx.workflow.updateMany({ where: { id: workflowId, tenantId }, data: { active: true, publishedVersion: version.number } })
  await syncWebhookTriggers(tx, prisma, tenantId, workflowId, hooks)
  await tx.triggerRegistration.deleteMany({ where: { workflowId } })
  if (regs.length > 0) {
    await tx.triggerRegistration.createMany({
      data: regs.map((r) => ({
        tenantId, workflowId, nodeId: r.nodeId, kind: r.kind, nodeType: r.nodeType, key: r.key,
        config: r.config as Prisma.InputJsonValue, versionId: version.id, versionNumber: version.number,
      })),
    })
  }
}

/** After a commit that changed what listens (activation, deactivation, creation active, deletion): every process
 * drops its webhook path cache and reloads the workflow's registrations. */
export async function announceTriggerChange(deps: ActivationDeps, tenantId: string, workflowId: string, active: boolean): Promise<void> {
  invalidateWebhookCache()
  // Listeners also reload on a timer: a lost message (Redis hiccup) delays the change, it does not lose it.
  await publishTriggersChanged(deps.redis, { tenantId, workflowId, active }).catch(() => undefined)
}

async function liveState(prisma: PrismaClient, tenantId: string, id: string): Promise<LiveState> {
  const wf = await forTenant(prisma, tenantId).workflow.findFirst({ where: { id }, select: { id: true, active: true, publishedVersion: true, currentVersion: true } })
  if (!wf) throw new NotFoundError('Workflow')
  return wf
}

/** Publish `version` (default: the newest draft) and make the workflow active on it. */
export async function publishWorkflow(deps: ActivationDeps, actor: Actor, id: string, opts: { version?: number } = {}): Promise<LiveState> {
  const db = forTenant(deps.prisma, actor.tenantId)
  await db.$transaction(async (tx) => {
    const wf = await tx.workflow.findFirst({ where: { id }, select: { currentVersion: true } })
    if (!wf) throw new NotFoundError('Workflow')
    const number = opts.version ?? wf.currentVersion
    const version = await tx.workflowVersion.findFirst({ where: { workflowId: id, number }, select: { id: true, number: true, graph: true } })
    if (!version) throw new NotFoundError(`Version ${number}`)
    await goLive(tx as unknown as Prisma.TransactionClient, deps.prisma, actor.tenantId, id, version)
  })
  await announceTriggerChange(deps, actor.tenantId, id, true)
  return liveState(deps.prisma, actor.tenantId, id)
}

/** Activate on the published version; a workflow never published publishes its newest draft. */
export async function activateWorkflow(deps: ActivationDeps, actor: Actor, id: string): Promise<LiveState> {
  const wf = await liveState(deps.prisma, actor.tenantId, id)
  return publishWorkflow(deps, actor, id, { version: wf.publishedVersion ?? wf.currentVersion })
}

/** Stop every listening trigger; the published version stays recorded for the next activation. */
export async function deactivateWorkflow(deps: ActivationDeps, actor: Actor, id: string): Promise<LiveState> {
  const db = forTenant(deps.prisma, actor.tenantId)
  await db.$transaction(async (tx) => {
    const updated = await tx.workflow.updateMany({ where: { id }, data: { active: false } })
    if (updated.count === 0) throw new NotFoundError('Workflow')
    await tx.webhookTrigger.deleteMany({ where: { workflowId: id } })
    await tx.triggerRegistration.deleteMany({ where: { workflowId: id } })
  })
  await announceTriggerChange(deps, actor.tenantId, id, false)
  return liveState(deps.prisma, actor.tenantId, id)
}
