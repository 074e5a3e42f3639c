// Attacks on the way in, against the real route handlers, PostgreSQL and Redis: forged, tampered, unsigned and
// expired session tokens; the Next.js middleware-bypass header (CVE-2025-29927); a cross-site form post riding the
// cookie; mass assignment of tenantId, id and dates; revoked and expired API keys; brute-force sign-in; the API's
// per-workspace rate limit. Each ends in a refusal and no row written.
import { encode } from 'next-auth/jwt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, TEST_NEXTAUTH_SECRET, useTestEnv, type SeededTenant } from '../../helpers/db'
import { sessionCookie } from '../../helpers/session'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as credentials from '../../../app/api/credentials/route'
import { accessCache } from '../../../lib/auth/access'
import { closeAppServices } from '../../../lib/services/app'
import { rateLimits } from '../../../lib/services/rate-limits'
import { addCaller, type Caller } from './fixtures'

const API_LIMIT = 25
const graph = chain(node.manual())

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
let editor: Caller

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_RATE_API: String(API_LIMIT), AUTERITY_RATE_SIGNIN_ACCOUNT: '3' })
  a = await seedTenant(t.db.prisma, { name: 'A' })
  b = await seedTenant(t.db.prisma, { name: 'B' })
  editor = await addCaller(t.db.prisma, a.tenantId, 'editor')
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

const workflowCount = () => t.db.prisma.workflow.count({ where: { tenantId: a.tenantId } })
const create = (headers: Record<string, string>, body: unknown = { name: 'Flow', graph }) => call(workflows.POST, { method: 'POST', headers, body })
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

describe('session tokens', () => {
  it('refuses a tampered token, an unsigned alg:none token and a token for an expired session with 401', async () => {
    const { token, sessionId } = await sessionCookie(t.db.prisma, { userId: editor.userId, tenantId: a.tenantId })
    const before = await workflowCount()
    const tampered = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41)
    // What an attacker would write by hand: the user and session named, no signature, no encryption.
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: editor.userId, sid: sessionId, exp: Math.floor(Date.now() / 1000) + 3600 })}.`
    // Signed with a guessed secret rather than the studio's.
    const forged = await encode({ token: { sub: editor.userId, sid: sessionId }, secret: 'not-the-secret' })
    for (const bad of [tampered, none, forged]) {
      const res = await create({ cookie: `next-auth.session-token=${bad}`, origin: 'http://localhost' })
      expect(res.status).toBe(401)
      expect((await call(workflows.GET, { headers: { cookie: `next-auth.session-token=${bad}` } })).status).toBe(401)
    }
    expect(await workflowCount()).toBe(before)

    const expired = await sessionCookie(t.db.prisma, { userId: editor.userId, tenantId: a.tenantId })
    await t.db.prisma.userSession.update({ where: { id: expired.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await call(workflows.GET, { headers: { cookie: expired.cookie } })).status).toBe(401)
    // A token naming another user's live session is not that user.
    const other = await addCaller(t.db.prisma, a.tenantId, 'owner')
    const mixed = await encode({ token: { sub: other.userId, sid: sessionId }, secret: TEST_NEXTAUTH_SECRET })
    expect((await call(workflows.GET, { headers: { cookie: `next-auth.session-token=${mixed}` } })).status).toBe(401)
  })

  it('lets nothing through on x-middleware-subrequest (CVE-2025-29927): every handler checks its own caller', async () => {
    const bypass = { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware', origin: 'http://localhost' }
    expect((await create(bypass)).status).toBe(401)
    expect((await call(workflows.GET, { headers: bypass })).status).toBe(401)
    // And a viewer sending it is still a viewer.
    const viewer = await addCaller(t.db.prisma, a.tenantId, 'viewer')
    expect((await create({ ...viewer.session, ...bypass })).status).toBe(403)
  })
})

describe('cross-site requests', () => {
  it('refuses a cross-site form post riding the session cookie, whatever its content type, and writes nothing', async () => {
    const before = await workflowCount()
    const evil = { cookie: editor.session.cookie, origin: 'https://evil.example' }
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'name=Flow'],
      ['text/plain', JSON.stringify({ name: 'Flow', graph })],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nFlow\r\n--x--'],
    ]) {
      const res = await call(workflows.POST, { method: 'POST', headers: { ...evil, 'content-type': type }, body })
      expect(res.status).toBe(403)
      expect(res.json.error.code).toBe('CROSS_SITE_REQUEST')
    }
    // From the studio's own origin a form or text body is still not JSON: 415, not a parse of something else.
    const own = await call(workflows.POST, { method: 'POST', headers: { ...editor.session, 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'Flow', graph }) })
    expect(own.status).toBe(415)
    // No Origin, no Sec-Fetch-Site, no Referer: refused too (only non-browser clients omit all, and they use keys).
    expect((await create({ cookie: editor.session.cookie })).status).toBe(403)
    expect(await workflowCount()).toBe(before)
  })
})

describe('mass assignment', () => {
  it('keeps the caller’s workspace and the server’s ids and dates whatever the body says', async () => {
    const forcedId = 'c0ffee00000000000000000000'
    const res = await create(a.headers, { name: 'Mine', graph, tenantId: b.tenantId, id: forcedId, createdAt: '2000-01-01T00:00:00Z', currentVersion: 99, active: false })
    expect(res.status).toBe(201)
    const row = await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: res.json.id } })
    expect(row.id).not.toBe(forcedId)
    expect(row.tenantId).toBe(a.tenantId)
    expect(row.createdAt.getFullYear()).toBeGreaterThan(2000)
    expect(row.currentVersion).toBe(1)
    expect(await t.db.prisma.workflow.count({ where: { tenantId: b.tenantId } })).toBe(0)

    const put = await call(workflow.PUT, {
      method: 'PUT', headers: a.headers, params: { id: row.id },
      body: { baseVersion: 1, name: 'Renamed', tenantId: b.tenantId, id: forcedId, createdAt: '2000-01-01T00:00:00Z' },
    })
    expect(put.status).toBeLessThan(300)
    const after = await t.db.prisma.workflow.findUniqueOrThrow({ where: { id: row.id } })
    expect([after.tenantId, after.name, after.createdAt.getTime()]).toEqual([a.tenantId, 'Renamed', row.createdAt.getTime()])

    const cred = await call(credentials.POST, { method: 'POST', headers: a.headers, body: { name: 'c', kind: 'bearer', data: { token: 't0ken' }, tenantId: b.tenantId, role: 'owner', createdById: b.userId } })
    expect(cred.status).toBe(201)
    const credRow = await t.db.prisma.credential.findUniqueOrThrow({ where: { id: cred.json.id } })
    expect(credRow.tenantId).toBe(a.tenantId)
    expect(credRow.createdById).not.toBe(b.userId)
  })
})

describe('prototype pollution', () => {
  it('refuses __proto__, constructor and prototype keys in a body with a 400 naming the path, and writes nothing', async () => {
    const before = await workflowCount()
    for (const [body, path] of [
      ['{"name":"x","graph":{"nodes":[],"edges":[]},"__proto__":{"polluted":true}}', '__proto__'],
      ['{"name":"x","graph":{"nodes":[{"id":"a","params":{"constructor":{"prototype":{"polluted":true}}}}],"edges":[]}}', 'graph.nodes.0.params.constructor'],
      ['{"name":"x","graph":{"nodes":[],"edges":[],"\\u005f_proto__":{"polluted":true}}}', 'graph.__proto__'],
    ]) {
      const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body })
      expect(res.status).toBe(400)
      expect(Object.keys(res.json.error.fields)).toEqual([path])
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await workflowCount()).toBe(before)
  })
})

describe('API keys', () => {
  it('refuses a revoked key on its next use and an expired key, with 401', async () => {
    const caller = await addCaller(t.db.prisma, a.tenantId, 'editor')
    expect((await call(workflows.GET, { headers: caller.key })).status).toBe(200)
    await t.db.prisma.apiKey.update({ where: { id: caller.apiKeyId }, data: { revokedAt: new Date() } })
    accessCache().clear() // what publishAccessChange does in every process when the revocation is saved
    expect((await call(workflows.GET, { headers: caller.key })).status).toBe(401)
    expect((await create({ ...caller.key })).status).toBe(401)

    const expiring = await addCaller(t.db.prisma, a.tenantId, 'editor')
    await t.db.prisma.apiKey.update({ where: { id: expiring.apiKeyId }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await call(workflows.GET, { headers: expiring.key })).status).toBe(401)
  })
})

describe('rate limits', () => {
  it('locks an account after repeated failed sign-ins (the signin-account limiter)', async () => {
    // The sign-in form itself (lib/auth/options.ts) counts its failures here; this is the limiter it uses.
    const key = `attacker-target-${Date.now()}@example.test`
    for (let i = 0; i < 3; i++) await rateLimits().consume('signin-account', key)
    await expect(rateLimits().consume('signin-account', key)).rejects.toMatchObject({ status: 429 })
    await expect(rateLimits().check('signin-account', key)).rejects.toMatchObject({ status: 429 })
  })

  it('answers 429 with Retry-After once a workspace spent its API budget, and only that workspace', async () => {
    const c = await seedTenant(t.db.prisma, { name: 'C' })
    const statuses: number[] = []
    for (let i = 0; i < API_LIMIT; i++) statuses.push((await call(workflows.GET, { headers: c.headers })).status)
    expect(statuses.every((s) => s === 200)).toBe(true)
    const over = await call(workflows.GET, { headers: c.headers })
    expect(over.status).toBe(429)
    expect(Number(over.res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(over.json.error.message).toContain(`${API_LIMIT} requests per`)
    // Another workspace is not slowed by C's flood.
    expect((await call(workflows.GET, { headers: b.headers })).status).toBe(200)
  })
})
