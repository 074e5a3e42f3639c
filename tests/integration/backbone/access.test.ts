// Roles come from the Membership row on every request, membership and API key changes apply on the very next request,
// and a change signed in by the session cookie must come from the studio's own origin (real PostgreSQL and Redis).
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connect, type Socket } from 'socket.io-client'
import { sessionCookie } from '../../helpers/session'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_NEXTAUTH_SECRET, seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node, waitFor } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as credentials from '../../../app/api/credentials/route'
import { generateApiKey, hashApiKey, displayPrefix } from '../../../lib/auth/api-keys'
import { accessCache, accessChannel, publishAccessChange } from '../../../lib/auth/access'
import { authenticateSocketHandshake } from '../../../lib/auth/context'
import type { Role } from '../../../lib/auth/roles'
import { createRedis } from '../../../lib/redis'
import { attachRealtime } from '../../../lib/realtime/server'
import { appServices, closeAppServices } from '../../../lib/services/app'
import { removeMember, revokeApiKey, setMemberRole, type AccessDeps } from '../../../lib/services/members'

const PUBLIC_URL = 'https://studio.example'
const graph = chain(node.manual())

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let deps: AccessDeps

beforeAll(async () => {
  t = await useTestEnv({ NEXTAUTH_URL: PUBLIC_URL })
  a = await seedTenant(t.db.prisma, { name: 'A' })
  deps = { prisma: t.db.prisma, redis: appServices().redis }
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

interface Member {
  userId: string
  apiKey: string
  /** The session cookie as next-auth wrote it at sign-in, when the role was still in the token. */
  cookie: string
}

/** A user of tenant A with `role`, a session cookie and an API key of their own. */
async function addMember(role: Role): Promise<Member> {
  const user = await t.db.prisma.user.create({ data: { email: `m-${randomBytes(4).toString('hex')}@example.test` } })
  await t.db.prisma.membership.create({ data: { tenantId: a.tenantId, userId: user.id, role } })
  const apiKey = generateApiKey()
  await t.db.prisma.apiKey.create({
    data: { tenantId: a.tenantId, userId: user.id, name: 'k', prefix: displayPrefix(apiKey), hash: hashApiKey(apiKey), role },
  })
  const { token } = await sessionCookie(t.db.prisma, { userId: user.id, tenantId: a.tenantId })
  return { userId: user.id, apiKey, cookie: `next-auth.session-token=${token}` }
}

const sameOrigin = (m: Member) => ({ cookie: m.cookie, origin: 'http://localhost' })
const createAs = (headers: Record<string, string>) => call(workflows.POST, { method: 'POST', headers, body: { name: 'Flow', graph } })
const listAs = (headers: Record<string, string>) => call(workflows.GET, { headers })

describe('roles and membership, checked on every request', () => {
  it('refuses a demoted owner a change on their very next request, with their old session cookie', async () => {
    await addMember('owner') // the tenant keeps an owner
    const m = await addMember('owner')
    expect((await createAs(sameOrigin(m))).status).toBe(201)

    await setMemberRole(deps, a.tenantId, m.userId, 'viewer')
    const refused = await createAs(sameOrigin(m))
    expect(refused.status).toBe(403)
    expect(refused.json.error.code).toBe('FORBIDDEN')
    expect((await createAs({ authorization: `Bearer ${m.apiKey}` })).status).toBe(403)
    const credential = await call(credentials.POST, { method: 'POST', headers: sameOrigin(m), body: { name: 'c', kind: 'bearer', data: { token: 's3cret' } } })
    expect(credential.status).toBe(403)
    expect((await listAs(sameOrigin(m))).status).toBe(200)
  })

  it('refuses a removed member at once: session cookie, API key and realtime handshake', async () => {
    const m = await addMember('editor')
    expect((await listAs(sameOrigin(m))).status).toBe(200)
    expect((await listAs({ authorization: `Bearer ${m.apiKey}` })).status).toBe(200)
    expect(await authenticateSocketHandshake({ headers: { cookie: m.cookie } })).toMatchObject({ role: 'editor' })

    await removeMember(deps, a.tenantId, m.userId)
    expect((await listAs(sameOrigin(m))).status).toBe(401)
    expect((await createAs(sameOrigin(m))).status).toBe(401)
    expect((await listAs({ authorization: `Bearer ${m.apiKey}` })).status).toBe(401)
    expect(await authenticateSocketHandshake({ headers: { cookie: m.cookie } })).toBeNull()
    expect(await authenticateSocketHandshake({ headers: {}, auth: { token: m.apiKey } })).toBeNull()
  })

  it('disconnects a removed member\'s and a revoked key\'s open realtime sockets, and keeps the others', async () => {
    const httpServer = createServer()
    const realtime = attachRealtime(httpServer, { prisma: t.db.prisma, createRedis: () => createRedis(testRedisUrl()) })
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
    const open = (auth: { cookie?: string; token?: string }) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(url, {
          path: '/socket.io',
          auth: auth.token ? { token: auth.token } : {},
          extraHeaders: auth.cookie ? { cookie: auth.cookie } : undefined,
          transports: ['websocket'],
          reconnection: false,
        })
        socket.on('connect', () => resolve(socket))
        socket.on('connect_error', reject)
      })
    const sockets: Socket[] = []
    try {
      const removed = await addMember('editor')
      const revoked = await addMember('editor')
      const kept = await addMember('editor')
      const [removedSocket, revokedSocket, keptSocket] = await Promise.all([open({ cookie: removed.cookie }), open({ token: revoked.apiKey }), open({ cookie: kept.cookie })])
      sockets.push(removedSocket, revokedSocket, keptSocket)
      const gone = (socket: Socket) => new Promise<string>((resolve) => socket.on('disconnect', resolve))
      const removedGone = gone(removedSocket)
      const revokedGone = gone(revokedSocket)

      await removeMember(deps, a.tenantId, removed.userId)
      expect(await removedGone).toBe('io server disconnect')
      const key = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(revoked.apiKey) } })
      await revokeApiKey(deps, a.tenantId, key.id)
      expect(await revokedGone).toBe('io server disconnect')
      expect(keptSocket.connected).toBe(true)
    } finally {
      for (const s of sockets) s.close()
      await realtime.close()
    }
  })

  it('refuses a deleted user', async () => {
    const m = await addMember('editor')
    expect((await listAs(sameOrigin(m))).status).toBe(200)
    await t.db.prisma.user.delete({ where: { id: m.userId } }) // the membership goes with it (cascade)
    await publishAccessChange(deps.redis)
    expect((await listAs(sameOrigin(m))).status).toBe(401)
  })

  it('refuses a revoked API key at once', async () => {
    const m = await addMember('editor')
    const key = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(m.apiKey) } })
    expect((await listAs({ authorization: `Bearer ${m.apiKey}` })).status).toBe(200)
    await revokeApiKey(deps, a.tenantId, key.id)
    expect((await listAs({ authorization: `Bearer ${m.apiKey}` })).status).toBe(401)
  })

  it('drops the cache when another process publishes a change', async () => {
    await waitFor('the invalidation subscription', async () => accessCache().live, 10_000)
    const m = await addMember('editor')
    expect((await createAs(sameOrigin(m))).status).toBe(201)
    // Another process changed the row: until it publishes, this process answers from its cache.
    await t.db.prisma.membership.update({ where: { tenantId_userId: { tenantId: a.tenantId, userId: m.userId } }, data: { role: 'viewer' } })
    expect((await createAs(sameOrigin(m))).status).toBe(201)
    const before = accessCache().generation
    const other = createRedis(testRedisUrl())
    try {
      await other.publish(accessChannel(), 'changed')
    } finally {
      other.disconnect()
    }
    await waitFor('the message to arrive', async () => accessCache().generation > before, 10_000)
    expect((await createAs(sameOrigin(m))).status).toBe(403)
  })

  it('keeps a tenant owned: the last owner cannot be demoted or removed', async () => {
    const solo = await seedTenant(t.db.prisma, { name: 'Solo' })
    await expect(setMemberRole(deps, solo.tenantId, solo.userId, 'admin')).rejects.toMatchObject({ status: 409 })
    await expect(removeMember(deps, solo.tenantId, solo.userId)).rejects.toMatchObject({ status: 409 })
  })
})

describe('cross-site request forgery', () => {
  let m: Member
  beforeAll(async () => {
    m = await addMember('editor')
  })

  it.each([
    ['a cross-origin text/plain post', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
    ['a cross-origin JSON post', { origin: 'http://evil.example' }],
    ['a same-site subdomain', { origin: 'http://evil.localhost' }],
    ['an opaque origin', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Referer without Origin', { referer: 'http://evil.example/page' }],
    ['no Origin, Sec-Fetch-Site or Referer at all', {}],
  ])('refuses %s with the session cookie (403)', async (_, headers) => {
    const res = await createAs({ cookie: m.cookie, ...headers })
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('CROSS_SITE_REQUEST')
  })

  it.each([
    ['Origin: the Host the request came to', { origin: 'http://localhost' }],
    ['Origin: NEXTAUTH_URL', { origin: PUBLIC_URL }],
    ['Origin: the proxy’s X-Forwarded-Host', { origin: 'https://public.example', 'x-forwarded-host': 'public.example' }],
    ['Sec-Fetch-Site: same-origin without Origin', { 'sec-fetch-site': 'same-origin' }],
    ['a same-origin Referer without Origin', { referer: 'http://localhost/workflows' }],
  ])('accepts %s', async (_, headers) => {
    expect((await createAs({ cookie: m.cookie, ...headers })).status).toBe(201)
  })

  it('accepts an API-key post without Origin, and reads with the cookie from anywhere', async () => {
    expect((await createAs({ authorization: `Bearer ${m.apiKey}` })).status).toBe(201)
    expect((await listAs({ cookie: m.cookie, origin: 'http://evil.example' })).status).toBe(200)
  })

  it('refuses a realtime handshake with the cookie from another origin', async () => {
    const handshake = (origin: string) => authenticateSocketHandshake({ headers: { cookie: m.cookie, host: 'studio.internal:3000', origin } })
    expect(await handshake('http://evil.example')).toBeNull()
    expect(await handshake('http://studio.internal:3000')).toMatchObject({ tenantId: a.tenantId, role: 'editor' })
    expect(await handshake(PUBLIC_URL)).toMatchObject({ tenantId: a.tenantId })
  })

  it('refuses a same-origin body that is not JSON (415)', async () => {
    const res = await call(workflows.POST, { method: 'POST', headers: { ...sameOrigin(m), 'content-type': 'text/plain' }, body: { name: 'x', graph } })
    expect(res.status).toBe(415)
    const key = await call(workflows.POST, { method: 'POST', headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': 'text/plain' }, body: { name: 'x', graph } })
    expect(key.status).toBe(415)
  })
})
