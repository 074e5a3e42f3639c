// The RabbitMQ trigger's consumer: one connection and channel with the trigger's prefetch, the queue (and its dead
// letter) asserted when asked, manual acks. The worker's consumer manager decides what happens to each message.
import { createHash } from 'node:crypto'
import type { ConsumeMessage, Options } from 'amqplib'
import { NodeError } from '../../engine/types'
import { brokerConnectionError, parseMessageBody } from '../brokers'
import type { RunningConsumer, StartConsumer } from '../broker-consumer'
import { isRabbitAuthError, openRabbit } from '../rabbitmq/connect'
import type { RabbitmqTriggerParams } from './definition'

function queueOptions(p: RabbitmqTriggerParams): Options.AssertQueue {
  const args: Record<string, unknown> = {}
  if (p.queueType === 'quorum') {
    args['x-queue-type'] = 'quorum'
    // The broker dead-letters a message it delivered this many times, whatever happened to the workers.
    args['x-delivery-limit'] = p.maxDeliveries
  }
  if (p.deadLetterExchange) args['x-dead-letter-exchange'] = p.deadLetterExchange
  else if (p.deadLetterQueue) {
    args['x-dead-letter-exchange'] = ''
    args['x-dead-letter-routing-key'] = p.deadLetterQueue
  }
  return { durable: true, arguments: args }
}

function fingerprint(m: ConsumeMessage): string {
  if (m.properties.messageId) return `id:${m.properties.messageId}`
  return createHash('sha256')
    .update(`${m.fields.exchange}\n${m.fields.routingKey}\n${m.properties.timestamp ?? ''}\n${JSON.stringify(m.properties.headers ?? {})}\n`)
    .update(m.content)
    .digest('hex')
}

function itemOf(m: ConsumeMessage, p: RabbitmqTriggerParams) {
  const { headers, ...props } = m.properties
  const properties = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined))
  return {
    content: parseMessageBody(m.content, p.content),
    routingKey: m.fields.routingKey,
    exchange: m.fields.exchange,
    redelivered: m.fields.redelivered,
    headers: headers ?? {},
    properties,
  }
}

export const consume: StartConsumer<RabbitmqTriggerParams> = async (ctx) => {
  const p = ctx.config
  const { connection, target } = await openRabbit(ctx.credential, ctx.network, ctx.clientName)
  let settle!: (reason: Error | undefined) => void
  const closed = new Promise<Error | undefined>((resolve) => (settle = resolve))
  let lastError: Error | undefined
  connection.on('error', (err: Error) => (lastError = err))
  connection.on('close', (err?: Error) => settle(err ?? lastError ?? new Error(`the connection to RabbitMQ at ${target.host}:${target.port} closed`)))
  // amqplib may leave a call pending when the socket dies: each set-up step also ends when the connection does.
  const orClosed = <T>(p: Promise<T>): Promise<T> =>
    Promise.race([
      p,
      closed.then((reason) => {
        throw reason ?? new Error('the connection closed')
      }),
    ])
  try {
    const channel = await orClosed(connection.createChannel())
    channel.on('error', (err: Error) => (lastError = err))
    channel.on('close', () => {
      settle(lastError ?? new Error('the channel closed'))
      void connection.close().catch(() => undefined)
    })
    if (p.assertQueue) {
      if (p.deadLetterQueue && !p.deadLetterExchange) await orClosed(channel.assertQueue(p.deadLetterQueue, { durable: true }))
      try {
        await orClosed(channel.assertQueue(p.queue, queueOptions(p)))
      } catch (err) {
        if (!/PRECONDITION_FAILED|406/.test((err as Error).message)) throw err
        throw new NodeError(`The queue "${p.queue}" exists with other options than the trigger asks for (${(err as Error).message}): change the trigger, or turn assertQueue off`, {
          code: 'RABBITMQ_QUEUE_MISMATCH',
          field: 'queue',
          retryable: false,
        })
      }
    } else {
      await orClosed(channel.checkQueue(p.queue)).catch((err: Error) => {
        throw new NodeError(`RabbitMQ has no queue "${p.queue}" (${err.message}): create it, or turn assertQueue on`, { code: 'RABBITMQ_NOT_FOUND', field: 'queue', retryable: false })
      })
    }
    await orClosed(channel.prefetch(p.prefetch))
    // An ack or nack on a channel that closed meanwhile throws: the broker redelivers the message anyway.
    const settleMessage = async (fn: () => void) => {
      try {
        fn()
      } catch {
        // the channel is gone; the message goes back to the queue with it
      }
    }
    await orClosed(
      channel.consume(
        p.queue,
        (m) => {
          // null: the broker cancelled the consumer (the queue was deleted).
          if (!m) return settle(new Error(`RabbitMQ cancelled the consumer of "${p.queue}" (was the queue deleted?)`))
          const brokerCount = m.properties.headers?.['x-delivery-count']
          void ctx.onMessage({
            item: () => itemOf(m, p),
            deliveryCount: p.queueType === 'quorum' ? Number(brokerCount ?? 0) + 1 : undefined,
            redelivered: m.fields.redelivered,
            fingerprint: fingerprint(m),
            ack: () => settleMessage(() => channel.ack(m)),
            retry: async (delayMs) => {
              await new Promise((resolve) => setTimeout(resolve, delayMs))
              await settleMessage(() => channel.nack(m, false, true))
            },
            deadLetter: () => settleMessage(() => channel.nack(m, false, false)),
          })
        },
        { noAck: false },
      ),
    )
  } catch (err) {
    await connection.close().catch(() => undefined)
    throw brokerConnectionError(lastError && !(err instanceof NodeError) ? lastError : err, target, 'RABBITMQ', isRabbitAuthError)
  }
  const running: RunningConsumer = {
    closed,
    async close() {
      await connection.close().catch(() => undefined)
    },
  }
  return running
}
