// "Test connection" for every credential kind, through the saved-credential route (decrypt, guards from the
// environment, audit entry) against real servers: PostgreSQL, MariaDB, Redis, RabbitMQ, Mosquitto and NATS from the
// machine, an SMTP server with a login, and the local fakes of OpenAI, Anthropic, Twilio and the WhatsApp Cloud API
// speaking those APIs' wire formats. Each kind passes with a good secret and fails with a sentence saying why with a
// bad one; no answer repeats the secret. (OAuth2 kinds: tests/integration/oauth/oauth.test.ts.)
import { generateKeyPairSync } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as savedTest from '../../../app/api/credentials/[id]/test/route'
import { getCredentialStore } from '../../../lib/credentials'
import type { CredentialKind } from '../../../lib/nodes/credential-kinds'
import { mysqlPools } from '../../../lib/nodes/mysql/execute'
import { pgPools } from '../../../lib/nodes/postgres/execute'
import { closeAppServices } from '../../../lib/services/app'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio'
import { FAKE_ACCESS_TOKEN, FAKE_PHONE_NUMBER_ID, startFakeWhatsApp, type FakeWhatsApp } from '../../fakes/whatsapp'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { sendJson, startLocalServer, type LocalServer } from '../../unit/net/local-server'
import { mysqlBackend, postgresBackend, type SqlBackend } from '../nodes/sql-backends'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let llm: FakeLlm
let twilio: FakeTwilio
let wa: FakeWhatsApp
let api: LocalServer
let smtp: SMTPServer
let smtpPort = 0
let pgb: SqlBackend
let myb: SqlBackend

beforeAll(async () => {
  ;[llm, twilio, wa, pgb, myb] = await Promise.all([startFakeLlm('hi'), startFakeTwilio(), startFakeWhatsApp(), postgresBackend(), mysqlBackend()])
  // An API that accepts one bearer token, one API key header, one basic login and one custom header.
  api = await startLocalServer((req, res) => {
    const h = req.headers
    const ok = h.authorization === 'Bearer good-token' || h['x-api-key'] === 'good-key' || h.authorization === `Basic ${Buffer.from('ann:good-pass').toString('base64')}` || h['x-custom'] === 'good-custom'
    sendJson(res, ok ? 200 : 401, ok ? { me: 'ann' } : { error: 'unauthorized' })
  })
  smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, cb) => (auth.username === 'mailer' && auth.password === 'good-smtp' ? cb(null, { user: 'mailer' }) : cb(new Error('Invalid username or password'))),
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  smtpPort = (smtp.server.address() as AddressInfo).port
  t = await useTestEnv({ AUTERITY_HTTP_ALLOW_PRIVATE: 'true' })
  a = await seedTenant(t.db.prisma, { name: 'A' })
})
afterAll(async () => {
  await Promise.all([pgPools.clear(), mysqlPools.clear()])
  await closeAppServices()
  await t?.teardown()
  await Promise.all([llm?.close(), twilio?.close(), wa?.close(), api?.close(), pgb?.drop(), myb?.drop(), new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()))])
})

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const redisUrl = () => new URL(process.env.REDIS_URL!)

type Case = [kind: CredentialKind, label: string, data: () => Record<string, string>, ok: boolean, message: RegExp, url?: () => string]

const cases: Case[] = [
  ['apiKey', 'accepted', () => ({ headerName: 'x-api-key', value: 'good-key' }), true, /^127\.0\.0\.1:\d+ accepted the credential \(HTTP 200\)$/, () => `${api.origin}/me`],
  ['apiKey', 'refused', () => ({ headerName: 'x-api-key', value: 'bad-key' }), false, /answered 401: the secret was refused/, () => `${api.origin}/me`],
  ['bearer', 'accepted', () => ({ token: 'good-token' }), true, /accepted the credential/, () => `${api.origin}/me`],
  ['bearer', 'refused', () => ({ token: 'bad-token' }), false, /answered 401/, () => `${api.origin}/me`],
  ['basicAuth', 'accepted', () => ({ username: 'ann', password: 'good-pass' }), true, /accepted the credential/, () => `${api.origin}/me`],
  ['basicAuth', 'refused', () => ({ username: 'ann', password: 'bad-pass' }), false, /answered 401/, () => `${api.origin}/me`],
  ['customHeaders', 'accepted', () => ({ headers: JSON.stringify({ 'x-custom': 'good-custom' }) }), true, /accepted the credential/, () => `${api.origin}/me`],
  ['openai', 'accepted', () => ({ apiKey: 'sk-good', baseUrl: llm.v1 }), true, /^OpenAI accepted the credential \(HTTP 200\)$/],
  ['openai', 'refused', () => ({ apiKey: 'sk-revoked-1', baseUrl: llm.v1 }), false, /^OpenAI answered 401: the secret was refused$/],
  ['openaiCompatible', 'accepted', () => ({ apiKey: 'sk-good', baseUrl: llm.v1 }), true, /^The endpoint accepted the credential/],
  ['openaiCompatible', 'refused', () => ({ apiKey: 'sk-revoked-2', baseUrl: llm.v1 }), false, /answered 401/],
  ['anthropic', 'accepted', () => ({ apiKey: 'sk-ant-good', baseUrl: llm.url }), true, /^Anthropic accepted the credential \(HTTP 200\)$/],
  ['anthropic', 'refused', () => ({ apiKey: 'sk-revoked-3', baseUrl: llm.url }), false, /^Anthropic answered 401/],
  ['twilio', 'accepted', () => ({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url }), true, /^Twilio accepted the credential \(HTTP 200\)$/],
  ['twilio', 'refused', () => ({ accountSid: twilio.accountSid, authToken: 'wrong-token', baseUrl: twilio.url }), false, /^Twilio answered 401/],
  ['whatsapp', 'accepted', () => ({ phoneNumberId: FAKE_PHONE_NUMBER_ID, accessToken: FAKE_ACCESS_TOKEN, baseUrl: wa.url }), true, /^The Graph API accepted the credential \(HTTP 200\)$/],
  ['whatsapp', 'refused', () => ({ phoneNumberId: FAKE_PHONE_NUMBER_ID, accessToken: 'EAAG-wrong', baseUrl: wa.url }), false, /^The Graph API answered 401/],
  ['smtp', 'logged in', () => ({ host: '127.0.0.1', port: String(smtpPort), security: 'none', user: 'mailer', password: 'good-smtp' }), true, /^Connected to 127\.0\.0\.1:\d+ and logged in$/],
  ['smtp', 'wrong password', () => ({ host: '127.0.0.1', port: String(smtpPort), security: 'none', user: 'mailer', password: 'bad-smtp' }), false, /Invalid username or password/],
  ['redis', 'running server', () => ({ host: redisUrl().hostname, port: redisUrl().port || '6379' }), true, /PING answered/],
  ['redis', 'an ACL user the server does not know', () => ({ host: redisUrl().hostname, port: redisUrl().port || '6379', username: 'nobody-user', password: 'bad-redis' }), false, /refused the login/],
  ['postgres', 'good login', () => pgb.credential.data, true, /^Connected to 127\.0\.0\.1:5432 as /],
  ['postgres', 'unknown role', () => pgb.badCredential.data, false, /^PostgreSQL at 127\.0\.0\.1:5432 refused the login of credential/],
  ['mysql', 'good login', () => myb.credential.data, true, /^Connected to 127\.0\.0\.1:3306 as u_/],
  ['mysql', 'wrong password', () => myb.badCredential.data, false, /^MySQL at 127\.0\.0\.1:3306 refused the login of credential .*Access denied/],
  ['rabbitmq', 'guest', () => ({ host: '127.0.0.1', port: '5672', username: 'guest', password: 'guest' }), true, /^Connected to RabbitMQ$/],
  ['rabbitmq', 'wrong password', () => ({ host: '127.0.0.1', port: '5672', username: 'guest', password: 'bad-amqp' }), false, /ACCESS_REFUSED|refused the login/],
  ['nats', 'running server', () => ({ servers: '127.0.0.1:4222' }), true, /^Connected to the NATS servers$/],
  ['nats', 'closed port', () => ({ servers: '127.0.0.1:1' }), false, /127\.0\.0\.1:1/],
  ['mqtt', 'running broker', () => ({ url: 'mqtt://127.0.0.1:1883' }), true, /^Connected to the MQTT broker$/],
  ['mqtt', 'closed port', () => ({ url: 'mqtt://127.0.0.1:1' }), false, /127\.0\.0\.1:1/],
  ['cryptoSecret', 'saved', () => ({ secret: 'hmac-secret-value' }), true, /needs no connection/],
  ['cryptoKey', 'PEM pair', () => ({ privateKey, publicKey }), true, /^The PEM keys parse$/],
  ['cryptoKey', 'not PEM', () => ({ privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }), false, /.+/],
]

const testSaved = async (id: string, body: Record<string, unknown>) => {
  const res = await savedTest.POST(new Request(`http://localhost:3000/api/credentials/${id}/test`, { method: 'POST', headers: { ...a.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }), { params: Promise.resolve({ id }) })
  return { status: res.status, body: (await res.json()) as { ok: boolean; message: string } }
}

describe('test connection of every kind against its real server', () => {
  it.each(cases)('%s, %s', async (kind, _label, data, ok, message, url) => {
    const values = data()
    const cred = await getCredentialStore().create(a.tenantId, { name: `${kind} ${ok ? 'good' : 'bad'}`, kind, data: values })
    const res = await testSaved(cred.id, url ? { url: url() } : {})
    expect(res.status).toBe(200)
    expect(res.body, res.body.message).toMatchObject({ ok, message: expect.stringMatching(message) })
    for (const [field, value] of Object.entries(values)) {
      if (/password|token|secret|key|value/i.test(field) && value.length >= 6 && !/-----/.test(value)) expect(res.body.message).not.toContain(value)
    }
  })

  it('covers every kind but the OAuth2 ones (tested with their provider)', async () => {
    const { credentialKinds } = await import('../../../lib/nodes/credential-kinds')
    const tested = new Set(cases.map((c) => c[0]))
    expect(Object.keys(credentialKinds).filter((k) => !tested.has(k as CredentialKind) && !k.startsWith('oauth2'))).toEqual([])
  })

  it('records each test in the audit log without the secret', async () => {
    const rows = await t.db.prisma.auditLog.findMany({ where: { tenantId: a.tenantId, action: 'credential.tested' } })
    expect(rows.length).toBeGreaterThanOrEqual(cases.length)
    expect(JSON.stringify(rows)).not.toContain('good-smtp')
  })
})
