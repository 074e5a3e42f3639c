// One AMQP connection to the credential's RabbitMQ, after the host passed the outbound network policy: the vetted
// address is dialled and the name kept for TLS (SNI, certificate check). It never reconnects by itself: the
// publish node fails its step (retryable), and the worker's consumers (workers/runtime/broker-consumers.ts) reconnect
// with a backoff of their own.
import { connect, type ChannelModel } from 'amqplib'
import type { CredentialData } from '../../engine/types'
import type { TcpGuard } from '../../net/tcp-guard'
import { brokerConnectionError, readCredential, type BrokerTarget } from '../brokers'
import { rabbitmqCredentialSchema } from './credentials'
import { credentialGuard } from '../../credentials/hosts'

const CONNECT_TIMEOUT_MS = 10_000

interface RabbitAddress {
  tls: boolean
  host: string
  port: number
  username: string
  password: string
  vhost: string
}

/** The URL, or the fields, as one address; the URL wins when both are given. */
export function rabbitAddress(cred: CredentialData | undefined): { address: RabbitAddress; credentialId: string } {
  const { data: c, id } = readCredential(cred, { name: 'rabbitmq', label: 'RabbitMQ', schema: rabbitmqCredentialSchema })
  if (c.url) {
    const u = new URL(c.url)
    const tls = u.protocol === 'amqps:'
    const vhost = u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : '/'
    return {
      address: {
        tls,
        host: u.hostname,
        port: u.port ? Number(u.port) : tls ? 5671 : 5672,
        username: u.username ? decodeURIComponent(u.username) : 'guest',
        password: u.password ? decodeURIComponent(u.password) : 'guest',
        vhost,
      },
      credentialId: id,
    }
  }
  const tls = c.tls === 'on'
  return {
    address: {
      tls,
      host: c.host!,
      port: c.port ? Number(c.port) : tls ? 5671 : 5672,
      username: c.username || 'guest',
      password: c.password ?? 'guest',
      vhost: c.vhost || '/',
    },
    credentialId: id,
  }
}

export const isRabbitAuthError = (message: string) => /ACCESS[-_]REFUSED|403|not_allowed|NOT_ALLOWED/.test(message)

export async function openRabbit(cred: CredentialData | undefined, guard: TcpGuard, name: string): Promise<{ connection: ChannelModel; target: BrokerTarget }> {
  const { address: a, credentialId } = rabbitAddress(cred)
  const target: BrokerTarget = { label: 'RabbitMQ', host: a.host, port: a.port, credentialId }
  const dial = await credentialGuard(guard, cred).vet(a.host, a.port, 'credential')
  try {
    const connection = await connect(
      { protocol: a.tls ? 'amqps' : 'amqp', hostname: dial, port: a.port, username: a.username, password: a.password, vhost: a.vhost, heartbeat: 30 },
      { timeout: CONNECT_TIMEOUT_MS, servername: a.tls ? a.host : undefined, clientProperties: { connection_name: name } },
    )
    // A lost heartbeat or a socket error arrives as an 'error' event before 'close': without a listener it would be
    // an uncaught exception. Callers learn of the loss through 'close' and their pending calls.
    connection.on('error', () => undefined)
    return { connection, target }
  } catch (err) {
    throw brokerConnectionError(err, target, 'RABBITMQ', isRabbitAuthError)
  }
}
