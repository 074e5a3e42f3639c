// OIDC single sign-on: the provider list built from env, and who an OIDC sign-in may be (an existing account whose
// email the provider verified, or a new one an open invitation names, which joins its workspace). The claims come from a real oidc-provider's ID token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { TEST_USERS } from '../../helpers/oidc-provider'
import { oidcAccountFor, oidcProviders } from '../../../lib/auth/oidc'
import { resetEnv } from '../../../lib/env'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
})
afterAll(() => t?.teardown())

describe('OIDC sign-in', () => {
  it('is on only when issuer, client ID and secret are all set, with PKCE and state checks', () => {
    expect(oidcProviders()).toEqual([])
    Object.assign(process.env, { AUTERITY_OIDC_ISSUER: 'http://127.0.0.1:1', AUTERITY_OIDC_CLIENT_ID: 'sso', AUTERITY_OIDC_CLIENT_SECRET: 's', AUTERITY_OIDC_NAME: 'Acme' })
    resetEnv()
    const [p] = oidcProviders()
    expect(p).toMatchObject({ id: 'oidc', name: 'Acme', wellKnown: 'http://127.0.0.1:1/.well-known/openid-configuration', checks: ['pkce', 'state'], idToken: true })
  })

  it('links a verified email to its account and refuses unverified or unknown ones', async () => {
    expect(await oidcAccountFor(t.db.prisma, { sub: 'x', email: a.email.toUpperCase(), email_verified: true })).toMatchObject({ id: a.userId, method: 'oidc' })
    await expect(oidcAccountFor(t.db.prisma, { sub: 'x', email: a.email, email_verified: false })).rejects.toThrow(/not verified/)
    await expect(oidcAccountFor(t.db.prisma, { sub: 'alice', email: TEST_USERS.alice.email, email_verified: true })).rejects.toThrow(/No account uses this email/)
    await expect(oidcAccountFor(t.db.prisma, { sub: 'x' })).rejects.toThrow(/no email/)
  })

  it('creates the account of someone an open invitation names, joins its workspace with its role, once', async () => {
    const prisma = t.db.prisma
    const email = 'new.person@example.test'
    const invite = (over: Record<string, unknown> = {}) =>
      prisma.invite.create({ data: { tenantId: a.tenantId, email, role: 'operator', tokenHash: `h-${Math.random()}`, expiresAt: new Date(Date.now() + 60_000), ...over } })
    // Expired, withdrawn and link invitations vouch for no one.
    await invite({ expiresAt: new Date(Date.now() - 1000) })
    await invite({ revokedAt: new Date() })
    await invite({ email: null })
    await expect(oidcAccountFor(prisma, { sub: 'n', email, email_verified: true })).rejects.toThrow(/No account uses this email/)
    expect(await prisma.user.count({ where: { email } })).toBe(0)
    // Unverified: refused before any invitation is looked at.
    const open = await invite()
    await expect(oidcAccountFor(prisma, { sub: 'n', email, email_verified: false })).rejects.toThrow(/not verified/)
    expect(await prisma.user.count({ where: { email } })).toBe(0)

    const account = await oidcAccountFor(prisma, { sub: 'n', email: 'New.Person@Example.test', email_verified: true, name: 'New Person' })
    expect(account).toMatchObject({ email, name: 'New Person', method: 'oidc' })
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } })
    expect(user.passwordHash).toBeNull()
    expect(user.memberships.map((m) => [m.tenantId, m.role])).toEqual([[a.tenantId, 'operator']])
    expect((await prisma.invite.findUniqueOrThrow({ where: { id: open.id } })).acceptedById).toBe(user.id)
    expect(await prisma.auditLog.findFirst({ where: { tenantId: a.tenantId, action: 'member.joined', target: `member:${user.id}` } })).toMatchObject({ data: expect.objectContaining({ via: 'sso', newAccount: true }) })
    // The next sign-in finds the account; no second one, no second membership.
    expect(await oidcAccountFor(prisma, { sub: 'n', email, email_verified: true })).toMatchObject({ id: user.id })
    expect(await prisma.membership.count({ where: { userId: user.id } })).toBe(1)
  })
})
