// Per trigger kind: what activation checks before a workflow's listening triggers go live, and the Redis channel
// that tells every process a workflow's registrations changed (worker-side consumers and schedulers reload from
// the TriggerRegistration table on it, and on a periodic full pass in case a message was missed).
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/generated/client'
import { eventTriggerKind } from './event-filter'
import { env } from '../env'
import { scheduleKind } from './schedules'
import { pageMonitorKind } from './page-monitor-kind'

/** One registration as activation is about to write it. */
export interface RegistrationSpec {
  nodeId: string
  /** Index of the node in graph.nodes: errors name `graph.nodes.<index>.params.<field>`. */
  nodeIndex: number
  nodeType: string
  kind: string
  key: string
  config: Record<string, unknown>
}

export interface TriggerCheckContext {
  prisma: PrismaClient
  tenantId: string
  workflowId: string
}

export interface TriggerKindHandler {
  /**
   * Before the activation commits: throw a ValidationError (naming `graph.nodes.<i>.params.<field>`) or a
   * ConflictError with the reason to refuse it (a schedule firing more often than the workspace allows…).
   */
  check?(spec: RegistrationSpec, ctx: TriggerCheckContext): Promise<void> | void
}

/** Kinds add their handler here (one line each); a kind without one is registered without checks. */
export const triggerKinds: Record<string, TriggerKindHandler> = {
  event: eventTriggerKind,
}
triggerKinds.schedule = scheduleKind(() => env().schedules)
triggerKinds.monitor = pageMonitorKind(() => env().browser.monitorMinIntervalMs)

export const TRIGGERS_CHANGED_CHANNEL = 'auterity:triggers:changed'

export interface TriggersChanged {
  tenantId: string
  workflowId: string
  active: boolean
}

/** After the activation's transaction committed. A lost message is caught up by the listeners' periodic pass. */
export async function publishTriggersChanged(redis: Pick<Redis, 'publish'>, change: TriggersChanged): Promise<void> {
  await redis.publish(TRIGGERS_CHANGED_CHANNEL, JSON.stringify(change))
}

/** Subscribes `sub` (a dedicated connection) and calls `onChange` for each message; returns the unsubscribe. */
export async function onTriggersChanged(sub: Redis, onChange: (change: TriggersChanged) => void): Promise<() => Promise<void>> {
  const listener = (channel: string, raw: string) => {
    if (channel !== TRIGGERS_CHANGED_CHANNEL) return
    try {
      onChange(JSON.parse(raw) as TriggersChanged)
    } catch {
      // not ours
    }
  }
  sub.on('message', listener)
  await sub.subscribe(TRIGGERS_CHANGED_CHANNEL)
  return async () => {
    sub.off('message', listener)
    await sub.unsubscribe(TRIGGERS_CHANGED_CHANNEL).catch(() => undefined)
  }
}
