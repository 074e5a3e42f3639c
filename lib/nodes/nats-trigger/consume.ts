// The NATS trigger's consumer: a durable pull consumer with explicit acks on the trigger's stream (both created when
// missing, as asked), its messages taken one at a time. The worker's consumer manager decides what happens to each.
import { AckPolicy, DeliverPolicy, headers as natsHeaders, nanos, type JsMsg, type MsgHdrs } from 'nats'
import { NodeError } from '../../engine/types'
import { brokerConnectionError, parseMessageBody } from '../brokers'
import type { StartConsumer } from '../broker-consumer'
import { isNatsAuthError, openNats } from '../nats/connect'
import type { NatsTriggerParams } from './definition'

function headerRecord(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!h) return out
  for (const key of h.keys()) out[key] = h.get(key)
  return out
}

const notFound = (err: unknown) => /not found/i.test((err as Error).message ?? '')

export const consume: StartConsumer<NatsTriggerParams> = async (ctx) => {
  const p = ctx.config
  const { nc, target } = await openNats(ctx.credential, ctx.network, ctx.clientName)
  const closed = nc.closed().then((err) => err ?? new Error(`the connection to NATS at ${target.host}:${target.port} closed`))
  try {
    const jsm = await nc.jetstreamManager()
    try {
      await jsm.streams.info(p.stream)
    } catch (err) {
      if (!notFound(err)) throw err
      if (!p.createStream || !p.subject) {
        throw new NodeError(`NATS has no stream "${p.stream}": create it, or turn createStream on and give the subject it takes`, { code: 'NATS_NO_STREAM', field: 'stream', retryable: false })
      }
      await jsm.streams.add({ name: p.stream, subjects: [p.subject] })
    }
    // The server delivers a message once more than maxDeliver: the manager then gives it up without starting a run,
    // so a message whose last delivery made a worker fail still reaches the dead letter.
    const config = {
      ack_wait: nanos(p.ackWaitSeconds * 1000),
      max_deliver: p.maxDeliver + 1,
      filter_subject: p.subject || undefined,
    }
    try {
      await jsm.consumers.info(p.stream, p.consumer)
      await jsm.consumers.update(p.stream, p.consumer, config)
    } catch (err) {
      if (!notFound(err)) throw err
      await jsm.consumers.add(p.stream, { durable_name: p.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...config })
    }
    const consumer = await nc.jetstream().consumers.get(p.stream, p.consumer)
    const messages = await consumer.consume({ max_messages: 16 })
    const deadLetter = async (m: JsMsg, reason: string) => {
      if (p.deadLetterSubject) {
        const h = natsHeaders()
        if (m.headers) for (const key of m.headers.keys()) for (const v of m.headers.values(key)) h.append(key, v)
        h.set('Auterity-Dead-Letter', reason.replace(/[\r\n]+/g, ' ').slice(0, 1000))
        h.set('Auterity-Original-Subject', m.subject)
        nc.publish(p.deadLetterSubject, m.data, { headers: h })
        await nc.flush()
      }
      // The reason travels in the dead letter's header: servers before 2.10.4 ignore a TERM that carries one.
      m.term()
    }
    void (async () => {
      for await (const m of messages) {
        await ctx.onMessage({
          item: () => ({ content: parseMessageBody(m.data, p.content), subject: m.subject, seq: m.seq, deliveryCount: m.info.deliveryCount, headers: headerRecord(m.headers) }),
          deliveryCount: m.info.deliveryCount,
          redelivered: m.redelivered,
          fingerprint: `${p.stream}:${m.seq}`,
          ack: async () => {
            await m.ackAck().catch(() => undefined)
          },
          retry: async (delayMs) => m.nak(delayMs),
          deadLetter: (reason) => deadLetter(m, reason),
        })
      }
    })()
      // The messages end when the consumer is gone (deleted on the server) or failed: the manager connects again.
      .catch(() => undefined)
      .finally(() => void nc.close().catch(() => undefined))
  } catch (err) {
    await nc.close().catch(() => undefined)
    throw brokerConnectionError(err, target, 'NATS', isNatsAuthError)
  }
  return {
    closed,
    async close() {
      await nc.close().catch(() => undefined)
    },
  }
}
