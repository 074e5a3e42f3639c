// The worker's broker consumers: one consumer per broker TriggerRegistration across ALL workers. Each registration
// is a name (`<workflowId>:<nodeId>`) under a Redis lease (broker-lease.ts): the worker holding it runs the
// consumer and renews it every third of the lease; a worker that dies stops renewing and another takes the name over
// once the lease has run out. Registrations are read again on `onTriggersChanged` and on a periodic pass (a missed
// message only delays a change); a consumer whose registration is gone or changed is stopped.
//
// Per message: one run of the registration's version (mode 'broker', starting at the trigger node), and the message
// is acknowledged only once startExecution returned (the Execution row is written). A message that cannot start a
// run (a body that is not JSON when JSON is required) goes to the dead letter at once; one whose start failed is
// handed back and tried again, and after the trigger's maximum number of deliveries goes to the dead letter too, so
// a poisoned message never loops. Deliveries are counted by the broker when it can (JetStream, quorum queues) and
// in Redis otherwise (classic queues, MQTT), which also counts the deliveries of a message that made workers die.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../../lib/db/generated/client'
import type { CredentialData } from '../../lib/engine/types'
import type { TcpGuard } from '../../lib/net/tcp-guard'
import type { ReceivedMessage, RunningConsumer, StartConsumer } from '../../lib/nodes/broker-consumer'
import { startExecution, type ExecutionDeps } from '../../lib/services/executions'
import { onTriggersChanged } from '../../lib/services/trigger-kinds'
import { clearBrokerStatus, reportBrokerStatus } from '../../lib/services/broker-status'
import { RedisLease } from './broker-lease'
import { log } from '../../lib/log'

const logger = log.child({ component: 'brokers' })

/** The consumer of each broker trigger node type, loaded when a registration of that type is first consumed. */
const CONSUMERS: Record<string, () => Promise<{ consume: StartConsumer<any> }>> = {
  'rabbitmq-trigger': () => import('../../lib/nodes/rabbitmq-trigger/consume'),
  'nats-trigger': () => import('../../lib/nodes/nats-trigger/consume'),
  'mqtt-trigger': () => import('../../lib/nodes/mqtt-trigger/consume'),
}

export interface BrokerConsumersConfig {
  /** How long a dead worker's consumers stay unowned (default 15 s); renewed every third of it. */
  leaseMs?: number
  /** The periodic full reload of registrations (default 30 s). */
  reloadMs?: number
  /** Reconnect backoff after a refused or lost connection: doubling from initialMs up to maxMs (default 0.5 s to 30 s). */
  backoff?: { initialMs: number; maxMs: number }
  /** The first delay before a message whose run could not start is delivered again; doubles per delivery (default 1 s). */
  retryDelayMs?: number
}

export interface BrokerConsumersDeps {
  prisma: PrismaClient
  starts: ExecutionDeps
  /** Commands: leases and delivery counters. */
  redis: Redis
  /** A dedicated connection for the triggers-changed channel. */
  subscriber: Redis
  network: TcpGuard
  getCredential(tenantId: string, id: string): Promise<CredentialData>
  /** Namespaces the Redis keys (the queue prefix). */
  keyPrefix: string
}

interface Registration {
  id: string
  tenantId: string
  workflowId: string
  nodeId: string
  nodeType: string
  config: Record<string, unknown>
  versionId: string
  versionNumber: number
}

export interface ConsumerStatus {
  workflowId: string
  nodeId: string
  nodeType: string
  state: 'connecting' | 'consuming' | 'waiting'
  lastError?: string
}

interface Slot {
  name: string
  reg: Registration
  signature: string
  stop: AbortController
  consumer?: RunningConsumer
  loop: Promise<void>
  renewedAt: number
  status: ConsumerStatus
  since: string
}

const nameOf = (r: Pick<Registration, 'workflowId' | 'nodeId'>) => `${r.workflowId}:${r.nodeId}`
const signatureOf = (r: Registration) => `${r.id}|${r.versionId}|${JSON.stringify(r.config)}`
const DAY_SECONDS = 24 * 3600

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

export class BrokerConsumers {
  private readonly lease: RedisLease
  private readonly leaseMs: number
  private readonly reloadMs: number
  private readonly backoff: { initialMs: number; maxMs: number }
  private readonly retryDelayMs: number
  private desired = new Map<string, Registration>()
  private readonly held = new Map<string, Slot>()
  private lastReload = 0
  private reloadWanted = true
  private pass: Promise<void> = Promise.resolve()
  private timer?: NodeJS.Timeout
  private unsubscribe?: () => Promise<void>
  private closed = false

  constructor(
    private readonly deps: BrokerConsumersDeps,
    config: BrokerConsumersConfig = {},
  ) {
    this.leaseMs = config.leaseMs ?? 15_000
    this.reloadMs = config.reloadMs ?? 30_000
    this.backoff = config.backoff ?? { initialMs: 500, maxMs: 30_000 }
    this.retryDelayMs = config.retryDelayMs ?? 1000
    this.lease = new RedisLease(deps.redis, `${deps.keyPrefix}:broker-lease`, randomUUID(), this.leaseMs)
  }

  async start(): Promise<void> {
    this.unsubscribe = await onTriggersChanged(this.deps.subscriber, () => {
      this.reloadWanted = true
      this.schedule()
    })
    this.timer = setInterval(() => this.schedule(), Math.max(50, Math.floor(this.leaseMs / 3)))
    this.timer.unref()
    this.schedule()
    await this.pass
  }

  /** What this worker consumes, and how it goes (the last connection error while it reconnects). */
  statuses(): ConsumerStatus[] {
    return [...this.held.values()].map((s) => ({ ...s.status }))
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    await this.unsubscribe?.()
    this.deps.subscriber.disconnect()
    await this.pass
    await Promise.all([...this.held.values()].map((s) => this.stopSlot(s)))
  }

  private schedule(): void {
    if (this.closed) return
    this.pass = this.pass.then(() => this.tick()).catch((err) => logger.error({ err }, 'broker consumers pass failed'))
  }

  private async tick(): Promise<void> {
    if (this.closed) return
    if (this.reloadWanted || Date.now() - this.lastReload >= this.reloadMs) await this.reload()
    for (const slot of [...this.held.values()]) {
      const want = this.desired.get(slot.name)
      if (!want || signatureOf(want) !== slot.signature) {
        // A new version with the same config keeps what the broker holds for the consumer; otherwise it goes.
        await this.stopSlot(slot, true, !want || JSON.stringify(want.config) !== JSON.stringify(slot.reg.config))
        continue
      }
      let kept: boolean
      try {
        kept = await this.lease.renew(slot.name)
        if (kept) {
          slot.renewedAt = Date.now()
          await this.report(slot)
        }
      } catch (err) {
        // Redis did not answer: keep consuming while the lease can still be ours.
        kept = Date.now() - slot.renewedAt < this.leaseMs
      }
      if (!kept) {
        this.log(slot.reg).warn('broker consumer lost its lease, stopping here')
        await this.stopSlot(slot, false)
      }
    }
    for (const [name, reg] of this.desired) {
      if (this.closed || this.held.has(name)) continue
      if (await this.lease.acquire(name).catch(() => false)) this.startSlot(name, reg)
    }
  }

  private async reload(): Promise<void> {
    this.reloadWanted = false
    const rows = await this.deps.prisma.triggerRegistration.findMany({
      where: { kind: 'broker', nodeType: { in: Object.keys(CONSUMERS) } },
      select: { id: true, tenantId: true, workflowId: true, nodeId: true, nodeType: true, config: true, versionId: true, versionNumber: true },
    })
    this.desired = new Map(rows.map((r) => [nameOf(r), { ...r, config: (r.config ?? {}) as Record<string, unknown> }]))
    this.lastReload = Date.now()
  }

  /** Lines about one registration's consumer carry its workspace, workflow, node and node type. */
  private log(reg: Registration) {
    return logger.child({ tenantId: reg.tenantId, workflowId: reg.workflowId, nodeId: reg.nodeId, nodeType: reg.nodeType })
  }

  private startSlot(name: string, reg: Registration): void {
    const slot: Slot = {
      name,
      reg,
      signature: signatureOf(reg),
      stop: new AbortController(),
      loop: Promise.resolve(),
      renewedAt: Date.now(),
      status: { workflowId: reg.workflowId, nodeId: reg.nodeId, nodeType: reg.nodeType, state: 'connecting' },
      since: new Date().toISOString(),
    }
    this.held.set(name, slot)
    slot.loop = this.consumeLoop(slot)
  }

  private async stopSlot(slot: Slot, release = true, forget = false): Promise<void> {
    this.held.delete(slot.name)
    slot.stop.abort()
    await slot.consumer?.close({ forget }).catch(() => undefined)
    await slot.loop
    if (release) {
      await clearBrokerStatus(this.deps.redis, this.deps.keyPrefix, slot.reg.workflowId, slot.reg.nodeId).catch(() => undefined)
      await this.lease.release(slot.name).catch(() => undefined)
    }
  }

  /** For GET /api/workflows/:id/triggers (lib/services/broker-status.ts): valid for two leases, refreshed with each. */
  private async report(slot: Slot): Promise<void> {
    if (slot.stop.signal.aborted) return
    const { state, lastError } = slot.status
    await reportBrokerStatus(this.deps.redis, this.deps.keyPrefix, slot.reg.workflowId, slot.reg.nodeId, { state, lastError, since: slot.since, expiresAt: Date.now() + 2 * this.leaseMs }).catch(
      () => undefined,
    )
  }

  private setState(slot: Slot, state: ConsumerStatus['state'], lastError?: string): void {
    if (slot.status.state !== state) slot.since = new Date().toISOString()
    slot.status = { ...slot.status, state, lastError: lastError ?? slot.status.lastError }
    void this.report(slot)
  }

  /** Connect, consume until the connection is gone, wait (doubling), connect again: until the slot is stopped. */
  private async consumeLoop(slot: Slot): Promise<void> {
    const { reg } = slot
    const signal = slot.stop.signal
    const stopped = new Promise<'stopped'>((resolve) => signal.addEventListener('abort', () => resolve('stopped'), { once: true }))
    for (let failures = 0; !signal.aborted; ) {
      try {
        const credentialId = typeof reg.config.credential === 'string' ? reg.config.credential : ''
        const credential = credentialId ? await this.deps.getCredential(reg.tenantId, credentialId) : undefined
        const { consume } = await CONSUMERS[reg.nodeType]()
        const consumer = await consume({
          config: reg.config,
          credential,
          network: this.deps.network,
          clientName: `auterity-${reg.workflowId}-${reg.nodeId}`,
          onMessage: (m) => this.handle(slot, m),
        })
        slot.consumer = consumer
        if (signal.aborted) {
          await consumer.close()
          break
        }
        if (failures > 0) this.log(reg).warn('broker consumer connected again')
        failures = 0
        this.setState(slot, 'consuming')
        const reason = await Promise.race([consumer.closed, stopped])
        if (reason === 'stopped') break
        // Closed for a reason that may leave the connection open (a cancelled consumer): close it before the next one.
        await consumer.close().catch(() => undefined)
        throw reason ?? new Error('the connection closed')
      } catch (err) {
        if (signal.aborted) break
        failures++
        const message = (err as Error).message
        this.setState(slot, 'waiting', message)
        const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (failures - 1))
        this.log(reg).warn({ reason: message, retryInMs: Math.round(delay) }, 'broker consumer disconnected; connecting again')
        await sleep(delay * (0.8 + Math.random() * 0.4), signal)
      }
    }
  }

  private async handle(slot: Slot, m: ReceivedMessage): Promise<void> {
    const { reg } = slot
    const max = Number(reg.config.maxDeliveries ?? reg.config.maxDeliver ?? 5)
    const counterKey = `${this.deps.keyPrefix}:broker-deliveries:${slot.name}:${m.fingerprint}`
    try {
      let count = m.deliveryCount
      if (count === undefined) {
        count = 1
        if (m.redelivered) {
          const seen = await this.deps.redis.multi().incr(counterKey).expire(counterKey, DAY_SECONDS).exec()
          count = 1 + Number(seen?.[0]?.[1] ?? 0)
        }
      }
      const giveUp = async (reason: string) => {
        this.log(reg).warn({ reason }, 'broker message given up (dead letter)')
        await m.deadLetter(reason)
        await this.deps.redis.del(counterKey).catch(() => undefined)
      }
      if (count > max) return await giveUp(`delivered ${count} times, more than maxDeliveries (${max})`)
      let item
      try {
        item = m.item()
      } catch (err) {
        return await giveUp((err as Error).message)
      }
      // A consumer being stopped starts nothing more: its connection closes and the broker delivers the message again.
      if (slot.stop.signal.aborted) return
      try {
        await startExecution(this.deps.starts, {
          tenantId: reg.tenantId,
          workflowId: reg.workflowId,
          versionId: reg.versionId,
          versionNumber: reg.versionNumber,
          input: [item],
          mode: 'broker',
          triggerNodeId: reg.nodeId,
        })
      } catch (err) {
        const reason = `could not start a run: ${(err as Error).message}`
        if (count >= max) return await giveUp(`${reason} (delivery ${count} of ${max})`)
        this.log(reg).warn({ reason, delivery: count, maxDeliveries: max }, 'broker message not handled; trying again')
        return await m.retry(Math.min(this.backoff.maxMs, this.retryDelayMs * 2 ** (count - 1)))
      }
      await m.ack()
      if (count > 1) await this.deps.redis.del(counterKey).catch(() => undefined)
    } catch (err) {
      // Settling failed (the connection went away): the broker delivers the message again.
      this.log(reg).warn({ err }, 'broker message not handled')
    }
  }
}
