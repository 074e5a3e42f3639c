// Workers (and web handlers) publish realtime events through Redis; every realtime server relays them
// to its sockets via the Redis adapter, so any number of processes can run.
import { Emitter } from '@socket.io/redis-emitter'
import type { Redis } from 'ioredis'
import { tenantRoom, type ExecutionUpdatedEvent, type ServerToClientEvents, type StepProgressEvent, type StepUpdatedEvent } from './events'

/** Shared with the server's Redis adapter: both must use the same key. */
export const REALTIME_REDIS_KEY = 'auterity.io'

export interface RealtimeEmitter {
  executionUpdated(tenantId: string, payload: ExecutionUpdatedEvent): void
  stepUpdated(tenantId: string, payload: StepUpdatedEvent): void
  stepProgress(tenantId: string, workflowId: string, payload: StepProgressEvent): void
}

/**
 * Events published in the same tick (every step of every running execution emits two) leave in one pipelined write
 * instead of one socket write each: the per-command write was the largest single CPU item in a busy worker.
 * Fire-and-forget as before; a closed connection drops the batch instead of raising an unhandled rejection.
 */
export function batchedPublisher(redis: Redis): Pick<Redis, 'publish'> {
  let batch: [string, string | Buffer][] = []
  const flush = () => {
    const items = batch
    batch = []
    if (items.length === 1) return void redis.publish(items[0][0], items[0][1]).catch(() => undefined)
    const pipeline = redis.pipeline()
    for (const [channel, msg] of items) pipeline.publish(channel, msg)
    void pipeline.exec().catch(() => undefined)
  }
  return {
    publish: ((channel: string, msg: string | Buffer) => {
      if (batch.length === 0) setImmediate(flush)
      batch.push([channel, msg])
      return Promise.resolve(0)
    }) as Redis['publish'],
  }
}

/**
 * `watched` (see ./watch.ts) says whether any browser of a tenant is connected; events of other tenants are not
 * published at all. Without it every event is published.
 */
export function createRealtimeEmitter(
  redis: Redis,
  watched: (tenantId: string) => boolean = () => true,
  publisher: Pick<Redis, 'publish'> = batchedPublisher(redis),
): RealtimeEmitter {
  const emitter = new Emitter<ServerToClientEvents>(publisher as Redis, { key: REALTIME_REDIS_KEY })
  const rooms = (tenantId: string, workflowId: string, executionId: string) => [
    tenantRoom(tenantId, 'tenant'),
    tenantRoom(tenantId, `workflow:${workflowId}`),
    tenantRoom(tenantId, `execution:${executionId}`),
  ]
  return {
    executionUpdated: (tenantId, p) => void (watched(tenantId) && emitter.to(rooms(tenantId, p.workflowId, p.executionId)).emit('execution.updated', p)),
    stepUpdated: (tenantId, p) => void (watched(tenantId) && emitter.to(rooms(tenantId, p.workflowId, p.executionId)).emit('step.updated', p)),
    // Progress (LLM tokens…) is chatty: only watchers of that execution or workflow get it.
    stepProgress: (tenantId, workflowId, p) =>
      void (watched(tenantId) && emitter.to([tenantRoom(tenantId, `workflow:${workflowId}`), tenantRoom(tenantId, `execution:${p.executionId}`)]).emit('step.progress', p)),
  }
}

/** For tests and hosts without realtime. */
export const noopEmitter: RealtimeEmitter = { executionUpdated() {}, stepUpdated() {}, stepProgress() {} }
