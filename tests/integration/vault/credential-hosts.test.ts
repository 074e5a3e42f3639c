// A credential limited to some hosts is never sent anywhere else, whoever carries it: every node that connects with
// one (HTTP Request, Redis, SMTP, PostgreSQL, MySQL, RabbitMQ, NATS, MQTT), the Twilio and WhatsApp clients and the
// credential's "test connection" refuse a target outside the list with CREDENTIAL_HOST_NOT_ALLOWED, and the server
// they would have reached sees no connection at all. The same credential without the list does reach it (the
// counting server is what the refusal is measured against).
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CredentialData } from '@/lib/engine/types'
import { credentialGuard } from '@/lib/credentials/hosts'
import { testCredential } from '@/lib/credentials/test-connection'
import { GraphClient, whatsappCredential } from '@/lib/messaging/whatsapp-graph'
import { twilioClient, type TwilioCredential } from '@/lib/messaging/twilio'
import { createSafeHttpClient } from '@/lib/net/http-client'
import { createGuardedFetch } from '@/lib/net/ssrf'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { mysqlPools } from '@/lib/nodes/mysql/execute'
import { pgPools } from '@/lib/nodes/postgres/execute'
import { runFlow } from '../../unit/nodes/flow'
import { memoryFiles } from '../../helpers/files'

/** Accepts and at once closes every connection, counting them: any client that dials it fails, after dialling. */
let server: Server
let port = 0
let connections = 0
const sockets = new Set<Socket>()
beforeAll(async () => {
  server = createServer((s) => {
    connections++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})
afterAll(async () => {
  await Promise.all([pgPools.clear(), mysqlPools.clear()])
  for (const s of sockets) s.destroy()
  await new Promise((resolve) => server.close(resolve))
})

const LIMITED = ['db.example.com', '*.internal.example']
const here = () => `127.0.0.1:${port}`
const network = () => createTcpGuard({ allowList: [here()] })
const http = () => createSafeHttpClient({ allowList: [here()] })

/** Each consumer: the node it is, its params, the credential kind and data pointing at the counting server. */
const nodes: [string, Record<string, unknown>, string, () => Record<string, string>][] = [
  ['http-request', { method: 'GET', url: 'http://127.0.0.1:PORT/' }, 'bearer', () => ({ token: 'tok-secret' })],
  ['redis', { operation: 'get', key: 'k' }, 'redis', () => ({ host: '127.0.0.1', port: String(port), password: 'redis-secret' })],
  ['send-email', { from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' }, 'smtp', () => ({ host: '127.0.0.1', port: String(port), security: 'none', user: 'u', password: 'smtp-secret' })],
  ['postgres', { operation: 'executeQuery', query: 'SELECT 1' }, 'postgres', () => ({ host: '127.0.0.1', port: String(port), database: 'd', user: 'u', password: 'pg-secret' })],
  ['mysql', { operation: 'executeQuery', query: 'SELECT 1' }, 'mysql', () => ({ host: '127.0.0.1', port: String(port), database: 'd', user: 'u', password: 'my-secret' })],
  ['rabbitmq', { target: 'queue', queue: 'q' }, 'rabbitmq', () => ({ host: '127.0.0.1', port: String(port), username: 'u', password: 'amqp-secret' })],
  ['nats', { mode: 'core', subject: 's' }, 'nats', () => ({ servers: `127.0.0.1:${port}`, token: 'nats-secret' })],
  ['mqtt', { topic: 't' }, 'mqtt', () => ({ url: `mqtt://127.0.0.1:${port}`, username: 'u', password: 'mqtt-secret' })],
]

async function runNode(type: string, params: Record<string, unknown>, kind: string, data: Record<string, string>, allowedHosts?: string[]) {
  const withPort = JSON.parse(JSON.stringify(params).replaceAll('PORT', String(port))) as Record<string, unknown>
  const flow = await runFlow([{ id: 'n', type, params: { credential: 'cred', ...withPort } }], [{}], {
    credentials: { cred: { kind, name: 'Limited', data, allowedHosts } },
    services: { network: network(), files: memoryFiles() },
    http: http(),
  })
  return flow.result.steps.n?.error as { code?: string; field?: string; message?: string } | undefined
}

describe('a credential limited to other hosts', () => {
  it.each(nodes)('%s: the step fails naming the credential and the host, and nothing is dialled', async (type, params, kind, data) => {
    const before = connections
    const error = await runNode(type, params, kind, data(), LIMITED)
    expect(error).toMatchObject({ code: 'CREDENTIAL_HOST_NOT_ALLOWED', message: expect.stringContaining(`Credential "Limited" may not be sent to 127.0.0.1`) })
    expect(error!.message).toContain('limited to db.example.com, *.internal.example')
    expect(connections - before).toBe(0)
  })

  it.each(nodes)('%s: without the list the same step does dial the server', async (type, params, kind, data) => {
    const before = connections
    const error = await runNode(type, params, kind, data())
    expect(error?.code).not.toBe('CREDENTIAL_HOST_NOT_ALLOWED')
    expect(connections - before).toBeGreaterThan(0)
    // A server that drops every connection fails the step as a connection failure (retryable), it does not hang.
    if (type === 'send-email') expect(error).toMatchObject({ code: 'SMTP_CONNECTION_FAILED', retryable: true })
  })

  it('a port outside host:port is refused too, and a listed host:port passes the check', async () => {
    const data = { host: '127.0.0.1', port: String(port), password: 'p' }
    expect(await runNode('redis', { operation: 'get', key: 'k' }, 'redis', data, ['127.0.0.1:1'])).toMatchObject({ code: 'CREDENTIAL_HOST_NOT_ALLOWED' })
    const before = connections
    const passed = await runNode('redis', { operation: 'get', key: 'k' }, 'redis', data, [here()])
    expect(passed?.code).not.toBe('CREDENTIAL_HOST_NOT_ALLOWED')
    expect(connections - before).toBeGreaterThan(0)
  })

  it('Twilio: the SDK client refuses the base URL before sending', async () => {
    const cred: CredentialData = { id: 'c1', name: 'Twilio', kind: 'twilio', data: { accountSid: 'AC0123', authToken: 'twilio-secret', baseUrl: `http://${here()}` }, allowedHosts: ['api.twilio.com'] }
    const before = connections
    const client = await twilioClient(cred.data as unknown as TwilioCredential, credentialGuard(network(), cred))
    await expect(client.messages.create({ from: '+15550000001', to: '+15550000002', body: 'hi' })).rejects.toMatchObject({ code: 'CREDENTIAL_HOST_NOT_ALLOWED' })
    expect(connections - before).toBe(0)
  })

  it('WhatsApp: the Graph client refuses the base URL before sending', async () => {
    const cred: CredentialData = { id: 'c2', name: 'WhatsApp', kind: 'whatsapp', data: { phoneNumberId: '1', accessToken: 'wa-secret', baseUrl: `http://${here()}` }, allowedHosts: ['graph.facebook.com'] }
    const before = connections
    const graph = new GraphClient(http(), whatsappCredential(cred), AbortSignal.timeout(10_000))
    await expect(graph.send('15550000002', 'text', { body: 'hi' }, 'r1')).rejects.toMatchObject({ code: 'CREDENTIAL_HOST_NOT_ALLOWED' })
    expect(connections - before).toBe(0)
  })

  it.each([
    ['redis', () => ({ host: '127.0.0.1', port: String(port) })],
    ['postgres', () => ({ host: '127.0.0.1', port: String(port), database: 'd', user: 'u', password: 'p' })],
    ['mysql', () => ({ host: '127.0.0.1', port: String(port), database: 'd', user: 'u', password: 'p' })],
    ['smtp', () => ({ host: '127.0.0.1', port: String(port), security: 'none' })],
    ['bearer', () => ({ token: 't' })],
    ['openaiCompatible', () => ({ baseUrl: `http://${here()}/v1`, apiKey: 'k' })],
    ['oauth2ClientCredentials', () => ({ tokenUrl: `http://${here()}/token`, clientId: 'c', clientSecret: 's' })],
  ] as const)('test connection of a %s credential stays inside the list', async (kind, data) => {
    const guarded = createGuardedFetch({ allowList: [here()], field: 'url' })
    try {
      const before = connections
      const result = await testCredential({ id: 'c', name: 'Limited', kind, data: data() as Record<string, string>, allowedHosts: ['db.example.com'] }, {
        fetch: guarded.fetch,
        tcp: network(),
        url: `http://${here()}/me`,
        signal: AbortSignal.timeout(10_000),
      })
      expect(result).toEqual({ ok: false, message: expect.stringMatching(/^Credential "Limited" may not be sent to 127\.0\.0\.1:\d+: it is limited to db\.example\.com$/) })
      expect(connections - before).toBe(0)
    } finally {
      await guarded.close()
    }
  })
})
