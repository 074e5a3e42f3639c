// One connection per page to the credential's Redis, after the host passed the outbound network policy. It never
// reconnects or retries by itself: a refused or dropped connection fails the step (retryable), and the engine's
// step retry decides what happens next, so a dead server cannot keep a worker waiting.
import Redis from 'ioredis'
import { NodeError, type CredentialData } from '../../engine/types'
import type { TcpGuard } from '../../net/tcp-guard'
import { readServerCredential, type ServerTarget } from '../server-credential'
import { redisCredentialSchema } from './credentials'
import { credentialGuard } from '../../credentials/hosts'

const CONNECT_TIMEOUT_MS = 10_000
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])

export type RedisTarget = ServerTarget

/** What a connection-level failure means for the step: auth is the user's to fix, anything else may pass. */
export function connectionError(err: unknown, target: RedisTarget): NodeError {
  if (err instanceof NodeError) return err
  const e = err as { code?: string; message?: string }
  const message = e.message ?? String(err)
  const where = `${target.host}:${target.port}`
  if (/^(WRONGPASS|NOAUTH|NOPERM)|AUTH.*(without any password|invalid)/i.test(message)) {
    return new NodeError(`Redis at ${where} refused the login of credential "${target.credentialId}": ${message}`, {
      code: 'REDIS_AUTH_FAILED',
      field: 'credential',
      retryable: false,
    })
  }
  const reason = e.code && NETWORK_CODES.has(e.code) ? e.code : message
  return new NodeError(`Could not talk to Redis at ${where}: ${reason}`, { code: 'REDIS_CONNECTION_FAILED', retryable: true, details: { host: target.host, port: target.port }, cause: err })
}

export async function openRedis(cred: CredentialData | undefined, guard: TcpGuard, signal: AbortSignal): Promise<{ client: Redis; target: RedisTarget }> {
  const { data: c, target } = readServerCredential(cred, { name: 'redis', label: 'Redis', schema: redisCredentialSchema })
  const address = await credentialGuard(guard, cred).vet(c.host, target.port, 'credential')
  let lastError: unknown
  const client = new Redis({
    host: address,
    port: target.port,
    username: c.username || undefined,
    password: c.password || undefined,
    db: Number(c.database),
    // The vetted address is dialled; the name stays the TLS server name for SNI and the certificate check.
    tls: c.tls === 'on' ? { servername: c.host } : undefined,
    connectionName: 'auterity-redis-node',
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
  })
  // Without a listener ioredis logs every error as unhandled; the last one explains a failed command.
  client.on('error', (err) => (lastError = err))
  const abort = () => client.disconnect()
  signal.addEventListener('abort', abort, { once: true })
  client.once('end', () => signal.removeEventListener('abort', abort))
  try {
    await client.connect()
  } catch (err) {
    client.disconnect()
    throw connectionError(lastError ?? err, target)
  }
  return { client, target }
}
