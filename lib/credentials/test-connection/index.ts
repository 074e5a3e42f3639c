// "Test connection" for every credential kind: one small check per kind, typed as a Record over CredentialKind so a
// new kind without a check is a compile error. Every outbound connection goes through the nodes' guards (lib/net).
// The answer is a sentence for the person at the settings page; it never repeats a secret.
import type { CredentialData } from '../../engine/types'
import { NodeError } from '../../engine/types'
import type { CredentialKind } from '../../nodes/credential-kinds'
import type { TcpGuard } from '../../net/ssrf'
import { openMqtt } from '../../nodes/mqtt/connect'
import { openNats } from '../../nodes/nats/connect'
import { openRabbit } from '../../nodes/rabbitmq/connect'
import { openRedis } from '../../nodes/redis/connect'
import { openSmtp } from '../../nodes/send-email/transport'
import { applyCredential } from '../../nodes/http-request/request-spec'
import type { OAuthTokens } from '../oauth'
import { credentialFetch, credentialGuard } from '../hosts'

export interface TestResult {
  ok: boolean
  message: string
}

export interface TestDeps {
  /** Guarded fetch (lib/net): user-given URLs. */
  fetch: typeof fetch
  tcp: TcpGuard
  /** Saved credentials only: the token service (renews and stores); unsaved ones fetch a token without storing it. */
  oauth?: { tokens: OAuthTokens; tenantId: string }
  /** For header kinds: the URL to send an authenticated GET to. */
  url?: string
  signal: AbortSignal
}

type Tester = (cred: CredentialData, deps: TestDeps) => Promise<string>

/** An authenticated GET; any 2xx is a pass, 401/403 says the secret is refused. */
async function authedGet(deps: TestDeps, url: string | undefined, headers: Record<string, string>, what: string): Promise<string> {
  if (!url) throw new NodeError('Give a URL to send a test request to', { field: 'url' })
  const res = await deps.fetch(url, { headers, signal: deps.signal, redirect: 'manual' })
  await res.text().catch(() => '')
  if (res.status === 401 || res.status === 403) throw new NodeError(`${what} answered ${res.status}: the ${res.status === 401 ? 'secret was refused' : 'secret lacks permission'}`)
  if (res.status >= 400) throw new NodeError(`${what} answered ${res.status}`)
  return `${what} accepted the credential (HTTP ${res.status})`
}

const headerKind: Tester = (cred, deps) => {
  const headers: Record<string, string> = {}
  applyCredential(headers, cred)
  return authedGet(deps, deps.url, headers, deps.url ? new URL(deps.url).host : 'the URL')
}

const oauth: Tester = async (cred, deps) => {
  if (deps.oauth) {
    const tokens = await deps.oauth.tokens.renewNow(deps.oauth.tenantId, cred)
    return `The token URL issued an access token${tokens.expiresAt ? ` valid for ${Math.round((tokens.expiresAt - Date.now()) / 60_000)} minutes` : ''}`
  }
  if (cred.kind === 'oauth2AuthorizationCode') throw new NodeError('Save the credential and click Connect first')
  const { requestToken, fingerprint } = await import('../oauth/wire')
  const d = cred.data
  await requestToken(deps.fetch, { tokenUrl: d.tokenUrl, clientId: d.clientId, clientSecret: d.clientSecret, clientAuth: d.clientAuth }, { grant_type: 'client_credentials', scope: d.scope, audience: d.audience, resource: d.resource }, fingerprint(d), Date.now())
  return 'The token URL issued an access token'
}

const bearerGet = (base: (d: Record<string, string>) => string, path: (d: Record<string, string>) => string, auth: (d: Record<string, string>) => Record<string, string>, what: string): Tester =>
  (cred, deps) => authedGet(deps, `${base(cred.data).replace(/\/+$/, '')}${path(cred.data)}`, auth(cred.data), what)

const closing = async (open: () => Promise<{ close(): Promise<unknown> | unknown }>, what: string) => {
  const conn = await open()
  await conn.close()
  return `Connected to ${what}`
}

const testers: Record<CredentialKind, Tester> = {
  apiKey: headerKind,
  bearer: headerKind,
  basicAuth: headerKind,
  customHeaders: headerKind,
  oauth2ClientCredentials: oauth,
  oauth2AuthorizationCode: oauth,
  openai: bearerGet((d) => d.baseUrl || 'https://api.openai.com/v1', () => '/models', (d) => ({ authorization: `Bearer ${d.apiKey}` }), 'OpenAI'),
  openaiCompatible: bearerGet((d) => d.baseUrl, () => '/models', (d): Record<string, string> => (d.apiKey ? { authorization: `Bearer ${d.apiKey}` } : {}), 'The endpoint'),
  anthropic: bearerGet((d) => d.baseUrl || 'https://api.anthropic.com', () => '/v1/models', (d) => ({ 'x-api-key': d.apiKey, 'anthropic-version': '2023-06-01' }), 'Anthropic'),
  twilio: bearerGet(
    (d) => d.baseUrl || 'https://api.twilio.com',
    (d) => `/2010-04-01/Accounts/${d.accountSid}.json`,
    (d) => ({ authorization: `Basic ${Buffer.from(`${d.accountSid}:${d.authToken}`).toString('base64')}` }),
    'Twilio',
  ),
  whatsapp: bearerGet((d) => d.baseUrl || 'https://graph.facebook.com', (d) => `/${d.apiVersion || 'v21.0'}/${d.phoneNumberId}`, (d) => ({ authorization: `Bearer ${d.accessToken}` }), 'The Graph API'),
  async smtp(cred, deps) {
    const { transport, target } = await openSmtp(cred, deps.tcp)
    try {
      await transport.verify()
      return `Connected to ${target.host}:${target.port}${cred.data.user ? ' and logged in' : ''}`
    } finally {
      transport.close()
    }
  },
  async redis(cred, deps) {
    const { client, target } = await openRedis(cred, deps.tcp, deps.signal)
    try {
      await client.ping()
      return `Connected to ${target.host}:${target.port} (PING answered)`
    } finally {
      client.disconnect()
    }
  },
  nats: (cred, deps) => closing(async () => (await openNats(cred, deps.tcp, 'auterity-test-connection')).nc, 'the NATS servers'),
  rabbitmq: (cred, deps) => closing(async () => (await openRabbit(cred, deps.tcp, 'auterity-test-connection')).connection, 'RabbitMQ'),
  mqtt: (cred, deps) => closing(async () => {
    const { client } = await openMqtt(cred, deps.tcp)
    return { close: () => client.endAsync() }
  }, 'the MQTT broker'),
  async postgres(cred, deps) {
    const [{ probeSql }, { postgresDriver }] = await Promise.all([import('../../nodes/sql-run'), import('../../nodes/postgres/execute')])
    return probeSql(cred, postgresDriver, deps.tcp)
  },
  async mysql(cred, deps) {
    const [{ probeSql }, { mysqlDriver }] = await Promise.all([import('../../nodes/sql-run'), import('../../nodes/mysql/execute')])
    return probeSql(cred, mysqlDriver, deps.tcp)
  },
  async cryptoSecret() {
    return 'An HMAC secret needs no connection: it is saved and ready to sign'
  },
  async cryptoKey(cred) {
    const { createPrivateKey, createPublicKey } = await import('node:crypto')
    if (cred.data.privateKey) createPrivateKey(cred.data.privateKey)
    if (cred.data.publicKey) createPublicKey(cred.data.publicKey)
    return 'The PEM keys parse'
  },
}

export async function testCredential(cred: CredentialData, deps: TestDeps): Promise<TestResult> {
  try {
    // Test connection goes only where the credential may be sent, as a run would.
    const limited = { ...deps, fetch: credentialFetch(deps.fetch, cred), tcp: credentialGuard(deps.tcp, cred) }
    return { ok: true, message: await testers[cred.kind as CredentialKind](cred, limited) }
  } catch (err) {
    return { ok: false, message: describe(err) }
  }
}

function describe(err: unknown): string {
  const e = err as Error & { code?: string; cause?: Error }
  const cause = e.cause?.message && e.message === 'fetch failed' ? `: ${e.cause.message}` : ''
  return `${e.message || String(err)}${cause}`
}
