// OIDC single sign-on: the provider list built from env, and who an OIDC sign-in may be (an existing account whose
// email the provider verified; never a new one). The claims come from a real oidc-provider's ID token.
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
})
