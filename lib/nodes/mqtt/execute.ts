import { NodeError, type Item } from '../../engine/types'
import type { Executor } from '../define'
import { brokerConnectionError, messageBody } from '../brokers'
import { parsePath, setPath } from '../paths'
import { isMqttAuthError, openMqtt } from './connect'
import type { MqttParams } from './definition'

const TOPIC = /^[^#+\u0000]+$/

export const execute: Executor<MqttParams, 'network'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  const params: MqttParams[] = []
  const bodies: Buffer[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    if (!TOPIC.test(p.topic)) {
      throw new NodeError(`Item ${index}: ${p.topic ? `"${p.topic}" is not a topic to publish to (no + or # wildcards)` : 'name the topic'}`, { code: 'INVALID_TOPIC', field: 'topic', details: { item: index } })
    }
    if (p.contentMode === 'text' && !p.contentField) throw new NodeError('Name the field whose text is sent (contentField)', { code: 'MISSING_VALUE', field: 'contentField' })
    params.push(p)
    bodies.push(messageBody(ctx.items[i], p, index))
  }
  const { client, target } = await openMqtt(await ctx.credential(), ctx.services.network)
  const abort = () => void client.endAsync(true).catch(() => undefined)
  ctx.signal.addEventListener('abort', abort, { once: true })
  let lost: Error | undefined
  let settled = false
  client.on('error', (err) => (lost = err))
  // Without reconnects, an acknowledgement the broker never sends would keep the step waiting: a close fails it.
  const closed = new Promise<never>((_, reject) => client.once('close', () => reject(lost ?? new Error('the broker closed the connection'))))
  closed.catch(() => undefined)
  try {
    // QoS 1 and 2 publishes resolve on the broker's PUBACK / PUBCOMP; they go out together and are awaited together.
    const pending = params.map((p, i) => client.publishAsync(p.topic, bodies[i], { qos: p.qos, retain: p.retain }))
    await Promise.race([Promise.all(pending), closed])
    settled = true
  } catch (err) {
    throw brokerConnectionError(lost ?? err, target, 'MQTT', isMqttAuthError)
  } finally {
    ctx.signal.removeEventListener('abort', abort)
    // A graceful end waits for acknowledgements still due: after a failure they may never come.
    await client.endAsync(!settled).catch(() => undefined)
  }
  const main = ctx.items.map((item: Item, i) => {
    const copy = structuredClone(item)
    setPath(copy, params[i].outputField, { topic: params[i].topic, qos: params[i].qos, retain: params[i].retain }, 'outputField')
    return copy
  })
  return { main }
}
