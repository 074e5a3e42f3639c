import type { Channel, ConfirmChannel } from 'amqplib'
import { NodeError, type Item } from '../../engine/types'
import type { Executor } from '../define'
import { brokerConnectionError, messageBody } from '../brokers'
import { kvToRecord } from '../params'
import { parsePath, setPath } from '../paths'
import { isRabbitAuthError, openRabbit } from './connect'
import type { RabbitmqParams } from './definition'

interface Publish {
  exchange: string
  routingKey: string
  body: Buffer
  options: { persistent: boolean; headers: Record<string, string>; contentType: string; messageId?: string; timestamp: number; appId: string }
}

function publishOf(p: RabbitmqParams, item: Item, index: number): Publish {
  if (p.target === 'queue' && !p.queue) throw new NodeError(`Item ${index}: name the queue to send to`, { code: 'MISSING_QUEUE', field: 'queue', details: { item: index } })
  if (p.target === 'exchange' && !p.exchange) throw new NodeError(`Item ${index}: name the exchange to publish to`, { code: 'MISSING_EXCHANGE', field: 'exchange', details: { item: index } })
  if (p.contentMode === 'text' && !p.contentField) throw new NodeError('Name the field whose text is sent (contentField)', { code: 'MISSING_VALUE', field: 'contentField' })
  return {
    exchange: p.target === 'queue' ? '' : p.exchange,
    routingKey: p.target === 'queue' ? p.queue : p.routingKey,
    body: messageBody(item, p, index),
    options: {
      persistent: p.persistent,
      headers: kvToRecord(p.headers),
      contentType: p.contentMode === 'json' ? 'application/json' : 'text/plain',
      messageId: p.messageId || undefined,
      timestamp: Math.floor(Date.now() / 1000),
      appId: 'auterity',
    },
  }
}

/** A missing queue or exchange closes the channel with 404: checked first, since the broker would drop the message. */
async function checkTargets(channel: Channel, publishes: Publish[]): Promise<void> {
  const queues = new Set(publishes.filter((m) => m.exchange === '').map((m) => m.routingKey))
  const exchanges = new Set(publishes.filter((m) => m.exchange !== '').map((m) => m.exchange))
  for (const [kind, names] of [['queue', queues], ['exchange', exchanges]] as const) {
    for (const name of names) {
      try {
        if (kind === 'queue') await channel.checkQueue(name)
        else await channel.checkExchange(name)
      } catch (err) {
        if (!/NOT_FOUND|404/.test((err as Error).message)) throw err
        throw new NodeError(`RabbitMQ has no ${kind} "${name}": create it first (a message sent to it would be dropped)`, { code: 'RABBITMQ_NOT_FOUND', field: kind, retryable: false })
      }
    }
  }
}

export const execute: Executor<RabbitmqParams, 'network'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  const publishes: Publish[] = []
  const params: RabbitmqParams[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    params.push(await ctx.paramsFor(i))
    publishes.push(publishOf(params[i], ctx.items[i], ctx.inputOffset + i))
  }
  const { connection, target } = await openRabbit(await ctx.credential(), ctx.services.network, 'auterity-rabbitmq-node')
  // amqplib leaves some calls pending when the socket dies (a channel's close, a drain): every wait also ends then.
  let connectionGone!: (err: Error) => void
  const gone = new Promise<never>((_, reject) => (connectionGone = reject))
  gone.catch(() => undefined)
  let isGone = false
  connection.once('close', (err?: Error) => ((isGone = true), connectionGone(err ?? new Error('the connection closed'))))
  const orGone = <T>(p: Promise<T>) => Promise.race([p, gone])
  const abort = () => void connection.close().catch(() => undefined)
  ctx.signal.addEventListener('abort', abort, { once: true })
  // A channel error (the broker closed it) is reported through the pending call; the listener keeps it from being unhandled.
  let channelError: Error | undefined
  try {
    const confirm = publishes.length > 0 && params.some((p) => p.confirm)
    const channel: Channel | ConfirmChannel = await orGone(confirm ? connection.createConfirmChannel() : connection.createChannel())
    channel.on('error', (err: Error) => (channelError = err))
    await orGone(checkTargets(channel, publishes))
    for (const m of publishes) {
      if (!channel.publish(m.exchange, m.routingKey, m.body, m.options)) await orGone(new Promise((resolve) => channel.once('drain', resolve)))
      if (channelError) throw channelError
    }
    if (confirm) {
      await orGone((channel as ConfirmChannel).waitForConfirms()).catch((err: Error) => {
        if (isGone) throw err
        throw new NodeError(`RabbitMQ did not confirm every message of the page: ${err.message}`, { code: 'RABBITMQ_NOT_CONFIRMED', retryable: true, cause: err })
      })
    }
    await orGone(channel.close())
    if (channelError) throw channelError
  } catch (err) {
    if (err instanceof NodeError) throw err
    throw brokerConnectionError(channelError ?? err, target, 'RABBITMQ', isRabbitAuthError)
  } finally {
    ctx.signal.removeEventListener('abort', abort)
    await orGone(connection.close()).catch(() => undefined)
  }
  const main = ctx.items.map((item, i) => {
    const copy = structuredClone(item)
    setPath(copy, params[i].outputField, { exchange: publishes[i].exchange, routingKey: publishes[i].routingKey, confirmed: params[i].confirm }, 'outputField')
    return copy
  })
  return { main }
}
