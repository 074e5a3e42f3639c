// The contract between a broker trigger's consumer (lib/nodes/<broker>-trigger/consume.ts) and the worker's
// consumer manager (workers/runtime/broker-consumers.ts). The consumer speaks the broker's protocol; the manager
// decides, per message, whether a run starts, and when the message is acknowledged, retried or dead-lettered.
import type { CredentialData, Item } from '../engine/types'
import type { TcpGuard } from '../net/tcp-guard'

export interface ReceivedMessage {
  /** The item the run starts with: `{ content, ...metadata }`; throws BROKER_BAD_CONTENT for a body it cannot parse. */
  item(): Item
  /** How many times the broker has delivered it, this time included, when the broker counts (JetStream, quorum queues). */
  deliveryCount?: number
  /** The broker says it delivered it before (RabbitMQ's redelivered flag, MQTT's DUP, an in-process retry). */
  redelivered: boolean
  /** The same for every delivery of one message: the manager counts deliveries by it when the broker does not. */
  fingerprint: string
  /** The run is recorded: the broker may forget the message. */
  ack(): Promise<void>
  /** Hand it back to be delivered again after `delayMs`. */
  retry(delayMs: number): Promise<void>
  /** Give up on it: to the dead letter (exchange, subject or topic) when configured, else dropped. */
  deadLetter(reason: string): Promise<void>
}

export interface ConsumerContext<P> {
  config: P
  credential: CredentialData | undefined
  network: TcpGuard
  /** Stable per workflow and node: the connection's name, MQTT's client id (its persistent session). */
  clientName: string
  onMessage(message: ReceivedMessage): Promise<void>
}

export interface RunningConsumer {
  /** Settles when the connection is gone (the broker closed or dropped it), with the reason: the manager reconnects. */
  closed: Promise<Error | undefined>
  /**
   * `forget`: the registration is gone or its config changed, so what the broker keeps for this consumer beyond the
   * connection should go (MQTT's persistent session stops collecting the topic); without it the next holder resumes.
   */
  close(opts?: { forget?: boolean }): Promise<void>
}

export type StartConsumer<P> = (ctx: ConsumerContext<P>) => Promise<RunningConsumer>
