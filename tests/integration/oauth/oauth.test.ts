// OAuth2 credentials against a real oidc-provider: client credentials (cached, renewed after expiry and after a 401),
// authorization code + PKCE through the studio's Connect routes (state bound to the session, single use), tokens
// sealed at rest, refresh after expiry happening once across two processes. Real PostgreSQL and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { sessionCookie } from '../../helpers/session'
import { startOidcProvider, type TestOidcProvider } from '../../helpers/oidc-provider'
import * as start from '../../../app/api/credentials/[id]/oauth/start/route'
import * as callback from '../../../app/api/oauth/callback/route'
import * as savedTest from '../../../app/api/credentials/[id]/test/route'
import * as unsavedTest from '../../../app/api/credentials/test/route'
import { getCredentialStore, getDecryptedCredential } from '../../../lib/credentials'
import { OAuthTokens } from '../../../lib/credentials/oauth'
import { keyringFromEnv } from '../../../lib/credentials/keyring'
import { Vault } from '../../../lib/credentials/vault'
import type { CredentialData } from '../../../lib/engine/types'
import { closeAppServices } from '../../../lib/services/app'

const STUDIO = 'http://localhost:3000'
let t: Awaited<ReturnType<typeof useTestEnv>>
let op: TestOidcProvider
let a: SeededTenant

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [`${STUDIO}/api/oauth/callback`] })
  t = await useTestEnv({ NEXTAUTH_URL: STUDIO, AUTERITY_HTTP_ALLOW_PRIVATE: 'true' })
  a = await seedTenant(t.db.prisma, { name: 'A' })
})
afterAll(async () => {
  await closeAppServices()
  await t?.teardown()
  await op?.close()
})

const whoami = async (token: string) => {
  const res = await fetch(op.resourceUrl, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: res.ok ? ((await res.json()) as { sub: string }) : undefined }
}
const storedColumn = async (id: string) => (await t.db.prisma.credential.findUniqueOrThrow({ where: { id } })).oauthTokens ?? ''
/** Another process's token service (its own in-process state), with its own clock. */
const otherProcess = (now: () => number) => new OAuthTokens({ prisma: t.db.prisma, vault: new Vault(t.db.prisma, keyringFromEnv()), fetch, now })
const HOUR = 3600_000

describe('client credentials', () => {
  let id: string
  beforeAll(async () => {
    const data = { tokenUrl: `${op.issuer}/token`, clientId: op.machine.clientId, clientSecret: op.machine.clientSecret, scope: 'api:read', resource: 'https://api.example.test' }
    id = (await getCredentialStore().create(a.tenantId, { name: 'Machine', kind: 'oauth2ClientCredentials', data })).id
  })

  it('fetches a token the API accepts, keeps it sealed, and reuses it until it expires', async () => {
    const before = op.tokenRequests.client_credentials ?? 0
    const first = await getDecryptedCredential(a.tenantId, id)
    expect(await whoami(first.data.accessToken)).toEqual({ status: 200, body: { sub: 'machine', scope: 'api:read' } })
    const again = await getDecryptedCredential(a.tenantId, id)
    expect(again.data.accessToken).toBe(first.data.accessToken)
    expect(op.tokenRequests.client_credentials).toBe(before + 1)
    const column = await storedColumn(id)
    expect(column).not.toBe('')
    expect(column).not.toContain(first.data.accessToken)

    const later = await otherProcess(() => Date.now() + 2 * HOUR).accessToken(a.tenantId, first)
    expect(later).not.toBe(first.data.accessToken)
    expect(op.tokenRequests.client_credentials).toBe(before + 2)
  })

  it('renews once when the API refuses the token (401)', async () => {
    const cred = await getDecryptedCredential(a.tenantId, id)
    await op.revokeAccessTokens()
    expect((await whoami(cred.data.accessToken)).status).toBe(401)
    const [r1, r2] = await Promise.all([cred.renew!(), cred.renew!()])
    expect(r1.data.accessToken).toBe(r2.data.accessToken)
    expect((await whoami(r1.data.accessToken)).status).toBe(200)
  })

  it('says which setting is wrong when the provider refuses the client', async () => {
    const data = { tokenUrl: `${op.issuer}/token`, clientId: op.machine.clientId, clientSecret: 'wrong', scope: 'api:read' }
    const bad = await getCredentialStore().create(a.tenantId, { name: 'Bad', kind: 'oauth2ClientCredentials', data })
    await expect(getDecryptedCredential(a.tenantId, bad.id)).rejects.toThrow(/invalid_client.*check the client ID and client secret/)
  })
})

describe('authorization code with PKCE', () => {
  let id: string
  let cookie: string
  beforeAll(async () => {
    const data = { authorizeUrl: `${op.issuer}/auth`, tokenUrl: `${op.issuer}/token`, clientId: op.app.clientId, clientSecret: op.app.clientSecret, scope: 'openid offline_access' }
    id = (await getCredentialStore().create(a.tenantId, { name: 'App', kind: 'oauth2AuthorizationCode', data })).id
    cookie = (await sessionCookie(t.db.prisma, { userId: a.userId, tenantId: a.tenantId })).cookie
  })

  const startFlow = async (withCookie = cookie) => {
    const res = await start.GET(new Request(`${STUDIO}/api/credentials/${id}/oauth/start`, { headers: { cookie: withCookie } }), { params: Promise.resolve({ id }) })
    expect(res.status).toBe(302)
    return new URL(res.headers.get('location')!)
  }
  const finish = (url: URL | string, withCookie = cookie) => callback.GET(new Request(url, { headers: { cookie: withCookie } }), { params: Promise.resolve({}) })

  it('is not usable before Connect', async () => {
    await expect(getDecryptedCredential(a.tenantId, id)).rejects.toThrow(/not connected.*Connect/)
  })

  it('connects through the provider with state and S256, stores the tokens sealed, and refuses a replayed state', async () => {
    const authorize = await startFlow()
    expect(authorize.origin).toBe(op.issuer)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/)
    const back = await op.authorize(authorize.toString(), 'alice')
    expect(back.pathname).toBe('/api/oauth/callback')

    const res = await finish(back)
    expect(res.status).toBe(302)
    expect(new URL(res.headers.get('location')!).searchParams.get('oauth')).toBe('connected')
    const cred = await getDecryptedCredential(a.tenantId, id)
    expect((await whoami(cred.data.accessToken)).body?.sub).toBe('alice')
    expect(await storedColumn(id)).not.toContain(cred.data.accessToken)
    const audit = await t.db.prisma.auditLog.findFirst({ where: { tenantId: a.tenantId, action: 'credential.connected', target: id } })
    expect(audit?.outcome).toBe('success')

    const replay = await finish(back)
    expect(replay.status).toBe(400)
    expect(await replay.text()).toMatch(/expired or was already used/)
  })

  it('refuses a tampered state and a state from another session', async () => {
    const authorize = await startFlow()
    const back = await op.authorize(authorize.toString(), 'alice')
    const tampered = new URL(back)
    tampered.searchParams.set('state', `${back.searchParams.get('state')}x`)
    expect((await finish(tampered)).status).toBe(400)
    const other = (await sessionCookie(t.db.prisma, { userId: a.userId, tenantId: a.tenantId })).cookie
    expect((await finish(back, other)).status).toBe(403)
  })

  it('refreshes an expired token once, however many processes ask at the same time', async () => {
    const cred: CredentialData = await getCredentialStore().getDecrypted(a.tenantId, id)
    const current = (await getDecryptedCredential(a.tenantId, id)).data.accessToken
    const before = op.tokenRequests.refresh_token ?? 0
    const later = () => Date.now() + 2 * HOUR
    const tokens = await Promise.all([otherProcess(later), otherProcess(later), otherProcess(later)].map((p) => p.accessToken(a.tenantId, cred)))
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(current)
    expect(op.tokenRequests.refresh_token).toBe(before + 1)
    expect((await whoami(tokens[0])).body?.sub).toBe('alice')
  })
})

describe('test connection', () => {
  const testSaved = async (id: string, body: Record<string, unknown> = {}) => {
    const res = await savedTest.POST(new Request(`${STUDIO}/api/credentials/${id}/test`, { method: 'POST', headers: { ...a.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }), { params: Promise.resolve({ id }) })
    return { status: res.status, body: (await res.json()) as { ok: boolean; message: string } }
  }
  const testUnsaved = async (body: Record<string, unknown>) => {
    const res = await unsavedTest.POST(new Request(`${STUDIO}/api/credentials/test`, { method: 'POST', headers: { ...a.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }), { params: Promise.resolve({}) })
    return { status: res.status, body: (await res.json()) as { ok: boolean; message: string } }
  }
  const machine = (secret: string) => ({ tokenUrl: `${op.issuer}/token`, clientId: op.machine.clientId, clientSecret: secret, scope: 'api:read', resource: 'https://api.example.test' })
  const redisData = (port: string) => ({ host: new URL(process.env.REDIS_URL!).hostname, port })

  it.each([
    ['oauth2ClientCredentials', 'right secret', () => machine(op.machine.clientSecret), true, /issued an access token/],
    ['oauth2ClientCredentials', 'wrong secret', () => machine('wrong'), false, /invalid_client.*check the client ID and client secret/],
    ['redis', 'running server', () => redisData(new URL(process.env.REDIS_URL!).port || '6379'), true, /PING answered/],
    ['redis', 'closed port', () => redisData('1'), false, /.+/],
  ])('an unsaved %s credential, %s', async (kind, _case, data, ok, message) => {
    const res = await testUnsaved({ kind, data: data() })
    expect(res.status).toBe(200)
    expect(res.body.ok).toBe(ok)
    expect(res.body.message).toMatch(message)
  })

  it('a saved bearer token against the URL given, accepted and refused; a bad body names the field', async () => {
    const token = (await getDecryptedCredential(a.tenantId, (await getCredentialStore().create(a.tenantId, { name: 'M', kind: 'oauth2ClientCredentials', data: machine(op.machine.clientSecret) })).id)).data.accessToken
    const good = await getCredentialStore().create(a.tenantId, { name: 'Good', kind: 'bearer', data: { token } })
    const bad = await getCredentialStore().create(a.tenantId, { name: 'Bad', kind: 'bearer', data: { token: 'nope' } })
    expect((await testSaved(good.id, { url: op.resourceUrl })).body).toEqual({ ok: true, message: expect.stringMatching(/accepted the credential \(HTTP 200\)/) })
    expect((await testSaved(bad.id, { url: op.resourceUrl })).body).toEqual({ ok: false, message: expect.stringMatching(/answered 401: the secret was refused/) })
    expect((await testSaved(good.id)).body).toEqual({ ok: false, message: 'Give a URL to send a test request to' })
    const invalid = await testSaved(good.id, { url: 'not a url' })
    expect(invalid.status).toBe(400)
    expect(JSON.stringify(invalid.body)).toMatch(/url/)
    const audit = await t.db.prisma.auditLog.count({ where: { tenantId: a.tenantId, action: 'credential.tested', target: bad.id, outcome: 'failure' } })
    expect(audit).toBe(1)
  })
})
