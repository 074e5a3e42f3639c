// One connection to the credential's MQTT broker, after the host passed the outbound network policy: the vetted
// address is dialled and the name kept for TLS (SNI, certificate check). The node's connection never reconnects; the
// worker's consumers reconnect with a backoff of their own.
import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import type { CredentialData } from '../../engine/types'
import type { TcpGuard } from '../../net/tcp-guard'
import { brokerConnectionError, readCredential, type BrokerTarget } from '../brokers'
import { mqttCredentialSchema } from './credentials'
import { credentialGuard } from '../../credentials/hosts'

const CONNECT_TIMEOUT_MS = 10_000

export const isMqttAuthError = (message: string) => /Not authorized|Bad username or password|not authorised/i.test(message)

export function mqttTarget(cred: CredentialData | undefined): { target: BrokerTarget; tls: boolean; username?: string; password?: string } {
  const { data: c, id } = readCredential(cred, { name: 'mqtt', label: 'MQTT', schema: mqttCredentialSchema })
  const u = new URL(c.url)
  const tls = u.protocol === 'mqtts:'
  const host = u.hostname.replace(/^\[|\]$/g, '')
  return { target: { label: 'MQTT', host, port: u.port ? Number(u.port) : tls ? 8883 : 1883, credentialId: id }, tls, username: c.username || undefined, password: c.password || undefined }
}

/**
 * `extra`: the consumer's session options (client id, clean: false); `prepare` runs before the connection opens (a
 * persistent session's queued messages may arrive right after the CONNACK: their handler must already be in place).
 */
export async function openMqtt(
  cred: CredentialData | undefined,
  guard: TcpGuard,
  extra: Partial<IClientOptions> = {},
  prepare?: (client: MqttClient) => void,
): Promise<{ client: MqttClient; target: BrokerTarget }> {
  const { target, tls, username, password } = mqttTarget(cred)
  const address = await credentialGuard(guard, cred).vet(target.host, target.port, 'credential')
  const client = connect({
    protocol: tls ? 'mqtts' : 'mqtt',
    host: address,
    port: target.port,
    servername: tls ? target.host : undefined,
    username,
    password,
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectPeriod: 0,
    ...extra,
  })
  prepare?.(client)
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        client.off('connect', ok)
        reject(err)
      }
      const ok = () => {
        client.off('error', fail)
        client.off('close', closedEarly)
        resolve()
      }
      const closedEarly = () => fail(new Error('the broker closed the connection'))
      client.once('connect', ok)
      client.once('error', fail)
      client.once('close', closedEarly)
    })
    return { client, target }
  } catch (err) {
    client.end(true)
    throw brokerConnectionError(err, target, 'MQTT', isMqttAuthError)
  }
}
