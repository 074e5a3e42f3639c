// The MQTT trigger's consumer: a persistent session (clean: false, a client id stable per workflow and node) that
// subscribes with QoS 1. mqtt.js sends a message's PUBACK when `handleMessage` calls back, and takes the next message
// only then: the manager calls `ack` once the run is recorded, so messages go one at a time, in order, and one that
// was not acknowledged is in the session when the next worker connects.
import { createHash } from 'node:crypto'
import type { IPublishPacket, MqttClient } from 'mqtt'
import { brokerConnectionError, parseMessageBody } from '../brokers'
import type { ReceivedMessage, StartConsumer } from '../broker-consumer'
import { isMqttAuthError, openMqtt } from '../mqtt/connect'
import type { MqttTriggerParams } from './definition'

export function mqttClientId(clientName: string, p: MqttTriggerParams): string {
  // MQTT 3.1.1 brokers must accept ids of up to 23 characters; longer ones are a broker's favour.
  return p.clientId || `auterity-${createHash('sha256').update(clientName).digest('hex').slice(0, 14)}`
}

export const consume: StartConsumer<MqttTriggerParams> = async (ctx) => {
  const p = ctx.config
  let settle!: (reason: Error | undefined) => void
  const closed = new Promise<Error | undefined>((resolve) => (settle = resolve))
  let lastError: Error | undefined
  const message = (client: MqttClient, packet: IPublishPacket, done: (err?: Error) => void, redelivered: boolean): ReceivedMessage => {
    const body = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
    return {
      item: () => ({ content: parseMessageBody(body, p.content), topic: packet.topic, retain: packet.retain, qos: packet.qos, dup: packet.dup }),
      redelivered,
      fingerprint: createHash('sha256').update(`${packet.topic}\n`).update(body).digest('hex'),
      ack: async () => done(),
      // MQTT has no negative acknowledgement: the message is offered again in this process, after the delay, and the
      // next one waits for it (a PUBACK is only sent when this one is settled).
      retry: async (delayMs) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs))
        if (client.connected) await ctx.onMessage(message(client, packet, done, true))
      },
      deadLetter: async () => {
        // Not awaited: its PUBACK is an incoming packet, read only after this message is settled. The session's
        // outgoing store keeps it until the broker has it.
        if (p.deadLetterTopic) client.publish(p.deadLetterTopic, body, { qos: 1 })
        done()
      },
    }
  }
  const { client, target } = await openMqtt(ctx.credential, ctx.network, { clientId: mqttClientId(ctx.clientName, p), clean: false }, (client) => {
    client.handleMessage = (packet, done) => {
      // QoS 0 messages (published so) start runs too; there is just nothing to acknowledge.
      void ctx.onMessage(message(client, packet, done, packet.dup))
    }
    client.on('error', (err) => (lastError = err))
    client.on('close', () => settle(lastError ?? new Error('the broker closed the connection')))
  })
  try {
    const granted = await Promise.race([
      client.subscribeAsync(p.topic, { qos: 1 }),
      closed.then((reason) => {
        throw reason ?? new Error('the broker closed the connection')
      }),
    ])
    const refused = granted.find((g) => g.qos === 128)
    if (refused) throw new Error(`the broker refused the subscription to "${p.topic}"`)
  } catch (err) {
    await client.endAsync(true).catch(() => undefined)
    throw brokerConnectionError(err, target, 'MQTT', isMqttAuthError)
  }
  return {
    closed,
    async close(opts) {
      // The session outlives the connection (clean: false): left subscribed, the broker would collect the topic for a
      // consumer that no longer exists, or for a new version that listens to another topic under the same client id.
      if (opts?.forget && client.connected) {
        await Promise.race([client.unsubscribeAsync(p.topic), new Promise((resolve) => setTimeout(resolve, 2000))]).catch(() => undefined)
      }
      // Forced: a graceful end waits for outgoing acknowledgements that may never come; the session keeps the rest.
      await client.endAsync(true).catch(() => undefined)
    },
  }
}
