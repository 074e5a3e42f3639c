import { NodeError, type Item } from '../../engine/types'
import type { Executor } from '../define'
import type { PublishEventParams } from './definition'
import type { PublishRequest } from './host'

/** Payloads are stored as JSON: refuse what JSON cannot hold (functions, cycles, BigInt) naming the item. */
function jsonPayload(value: unknown, index: number): unknown {
  try {
    const text = JSON.stringify(value)
    return text === undefined ? null : JSON.parse(text)
  } catch (err) {
    throw new NodeError(`The payload of item ${index} is not JSON data: ${(err as Error).message}`, { code: 'INVALID_PAYLOAD', field: 'payload', details: { item: index } })
  }
}

export const execute: Executor<PublishEventParams, 'events'> = async (ctx) => {
  const publisher = ctx.services.events.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, workflowId: ctx.workflowId })
  const items = ctx.items.length > 0 ? ctx.items : [{}]
  if (ctx.params.mode === 'once') {
    const payload = ctx.params.payload === undefined ? { items } : ctx.params.payload
    const [published] = await publisher.publish([{ name: ctx.params.name, payload: jsonPayload(payload, 0), dedupeKey: `${ctx.idempotencyKey}:once` }])
    return { main: items.map((item) => ({ ...item, ...published })) }
  }
  const requests: PublishRequest[] = []
  for (let i = 0; i < items.length; i++) {
    const p = await ctx.paramsFor(i)
    const payload = p.payload === undefined ? items[i] : p.payload
    requests.push({ name: p.name, payload: jsonPayload(payload, i), dedupeKey: `${ctx.idempotencyKey}:${i}` })
  }
  const published = await publisher.publish(requests)
  return { main: items.map((item: Item, i) => ({ ...item, ...published[i] })) }
}
