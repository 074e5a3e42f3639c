// One connection to the credential's NATS servers, after each passed the outbound network policy. Plain servers are
// dialled at their vetted address; with TLS the name is dialled (nats.js takes the certificate's name from it), so
// there the check and the connect resolve the name twice. Servers the cluster announces are ignored
// (ignoreClusterUpdates): only vetted addresses are ever dialled. The node's connection never reconnects; the
// worker's consumers reconnect with a backoff of their own.
import { connect, type NatsConnection } from 'nats'
import { NodeError, type CredentialData } from '../../engine/types'
import type { TcpGuard } from '../../net/tcp-guard'
import { brokerConnectionError, readCredential, type BrokerTarget } from '../brokers'
import { natsCredentialSchema } from './credentials'
import { credentialGuard } from '../../credentials/hosts'

const CONNECT_TIMEOUT_MS = 10_000

export interface NatsServer {
  host: string
  port: number
  tls: boolean
}

export function natsServers(servers: string, tlsDefault: boolean): NatsServer[] {
  return servers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const withScheme = /^[a-z]+:\/\//i.test(s) ? s : `nats://${s}`
      let u: URL
      try {
        u = new URL(withScheme)
      } catch {
        throw new NodeError(`"${s}" is not a NATS server (host:port or nats://host:port)`, { code: 'INVALID_CREDENTIAL', field: 'credential' })
      }
      if (!['nats:', 'tls:'].includes(u.protocol)) throw new NodeError(`"${s}": use nats:// or tls://`, { code: 'INVALID_CREDENTIAL', field: 'credential' })
      return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 4222, tls: u.protocol === 'tls:' || tlsDefault }
    })
}

export const isNatsAuthError = (message: string) => /AUTHORIZATION_VIOLATION|Authorization Violation|AUTHENTICATION/i.test(message)

export function natsTarget(cred: CredentialData | undefined): { target: BrokerTarget; servers: NatsServer[] } {
  const { data: c, id } = readCredential(cred, { name: 'nats', label: 'NATS', schema: natsCredentialSchema })
  const servers = natsServers(c.servers, c.tls === 'on')
  if (servers.length === 0) throw new NodeError('The NATS credential lists no server', { code: 'INVALID_CREDENTIAL', field: 'credential' })
  return { target: { label: 'NATS', host: servers[0].host, port: servers[0].port, credentialId: id }, servers }
}

export async function openNats(cred: CredentialData | undefined, guard: TcpGuard, name: string): Promise<{ nc: NatsConnection; target: BrokerTarget }> {
  const { data: c } = readCredential(cred, { name: 'nats', label: 'NATS', schema: natsCredentialSchema })
  const { target, servers } = natsTarget(cred)
  const dial: string[] = []
  for (const s of servers) {
    const address = await credentialGuard(guard, cred).vet(s.host, s.port, 'credential')
    const host = s.tls ? s.host : address
    dial.push(`${host.includes(':') ? `[${host}]` : host}:${s.port}`)
  }
  try {
    const nc = await connect({
      servers: dial,
      name,
      token: c.token || undefined,
      user: c.user || undefined,
      pass: c.password || undefined,
      tls: servers.some((s) => s.tls) ? {} : undefined,
      timeout: CONNECT_TIMEOUT_MS,
      reconnect: false,
      ignoreClusterUpdates: true,
    })
    return { nc, target }
  } catch (err) {
    throw brokerConnectionError(err, target, 'NATS', isNatsAuthError)
  }
}
