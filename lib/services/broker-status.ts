// How each broker trigger of a workflow is doing: the worker holding its consumer writes its state (consuming,
// connecting, or waiting to reconnect with the last error) into one Redis hash, refreshed with its lease; the API
// reads it beside the workflow's registrations. A trigger no live worker reports on is 'unowned'.
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { NotFoundError } from '../errors'

export type BrokerConsumerState = 'consuming' | 'connecting' | 'waiting'

export interface BrokerTriggerStatus {
  nodeId: string
  nodeType: string
  /** The registration's key: rabbitmq:<queue>, nats:<stream>:<consumer>, mqtt:<topic>. */
  key: string
  state: BrokerConsumerState | 'unowned'
  lastError?: string
  /** When the state began. */
  since?: string
}

interface Reported {
  state: BrokerConsumerState
  lastError?: string
  since: string
  /** The report counts until then (the holder refreshes it with its lease). */
  expiresAt: number
}

const hashKey = (prefix: string) => `${prefix}:broker-status`
const field = (workflowId: string, nodeId: string) => `${workflowId}:${nodeId}`

export async function reportBrokerStatus(redis: Redis, prefix: string, workflowId: string, nodeId: string, report: Reported): Promise<void> {
  await redis.hset(hashKey(prefix), field(workflowId, nodeId), JSON.stringify(report))
}

export async function clearBrokerStatus(redis: Redis, prefix: string, workflowId: string, nodeId: string): Promise<void> {
  await redis.hdel(hashKey(prefix), field(workflowId, nodeId))
}

/** GET /api/workflows/:id/triggers: the workflow's broker triggers while it is active, with their consumers' state. */
export async function brokerTriggerStatuses(deps: { prisma: PrismaClient; redis: Redis; prefix: string }, tenantId: string, workflowId: string): Promise<BrokerTriggerStatus[]> {
  const wf = await forTenant(deps.prisma, tenantId).workflow.findFirst({ where: { id: workflowId }, select: { id: true } })
  if (!wf) throw new NotFoundError('Workflow')
  const regs = await deps.prisma.triggerRegistration.findMany({
    where: { tenantId, workflowId, kind: 'broker' },
    select: { nodeId: true, nodeType: true, key: true },
    orderBy: { nodeId: 'asc' },
  })
  if (regs.length === 0) return []
  const raw = await deps.redis.hmget(hashKey(deps.prefix), ...regs.map((r) => field(workflowId, r.nodeId)))
  const now = Date.now()
  return regs.map((r, i) => {
    const report = raw[i] ? (JSON.parse(raw[i]!) as Reported) : undefined
    if (!report || report.expiresAt < now) return { ...r, state: 'unowned' }
    return { ...r, state: report.state, lastError: report.lastError, since: report.since }
  })
}
