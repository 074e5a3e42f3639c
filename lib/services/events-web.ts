// The web process's event bus (POST /api/events, replays): the execution queue's producer (AppServices) for the
// runs an event starts, the delivery queue's producer for replays, made on first use from
// lib/env and kept in the holder of lib/composition/web.ts, keyed by Redis URL and queue prefix like AppServices.
// Filters that need a sandbox use the one of "test this step" (asked for only then).
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
import { env, requireRedisUrl } from '../env'
import { redisConnection } from '../redis'
import { createEventDeliveryQueue, type EventDeliveryQueue } from '../queue/events'
import type { EventBusDeps } from './events'
import { webNodeServices } from './node-runtime'
import { appServices } from './app'

export function webEventBus(): EventBusDeps {
  const redisUrl = requireRedisUrl()
  const key = `${redisUrl}|${env().queuePrefix}`
  const web = webProcess()
  web.eventQueues ??= new Map()
  let queue = web.eventQueues.get(key)
  if (!queue) {
    queue = createEventDeliveryQueue({ connection: redisConnection(redisUrl), prefix: env().queuePrefix })
    web.eventQueues.set(key, queue)
  }
  return { prisma: getPrisma(), deliveries: queue, runs: () => appServices(), sandbox: () => webNodeServices().sandbox }
}

/** Tests: close the queues this process opened. */
export async function closeWebEventBus(): Promise<void> {
  const queues = [...(webProcess().eventQueues?.values() ?? [])]
  webProcess().eventQueues?.clear()
  await Promise.all(queues.map((q: EventDeliveryQueue) => q.close().catch(() => undefined)))
}
