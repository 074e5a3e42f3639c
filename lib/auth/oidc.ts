// Single sign-on with an OpenID Connect provider, from env().auth.oidc: issuer, client ID and secret all set turn it
// on. The provider must say the email is verified (else anyone who can name an address at the provider could take
// over that account), and the email must belong to an existing account, or be named by an open invitation, which
// then creates the account and joins its workspace (lib/workspaces/sso-join.ts).
import type { OAuthConfig } from 'next-auth/providers/oauth'
import type { TokenSet } from 'openid-client'
import { getPrisma } from '../db/client'
import type { PrismaClient } from '../db/generated/client'
import { env } from '../env'
import { joinByInvitedSso } from '../workspaces/sso-join'

export const OIDC_PROVIDER_ID = 'oidc'

interface OidcClaims {
  sub: string
  email?: string
  email_verified?: boolean | string
  name?: string
}

/** The studio account an OIDC sign-in is for, or an Error saying why it is refused. */
export async function oidcAccountFor(prisma: PrismaClient, claims: OidcClaims) {
  const email = claims.email?.trim().toLowerCase()
  if (!email) throw new Error('The identity provider sent no email address')
  if (claims.email_verified !== true && claims.email_verified !== 'true') throw new Error('The identity provider has not verified this email address')
  const user = await prisma.user.findUnique({ where: { email }, include: { memberships: { take: 1 } } })
  if (!user) {
    const joined = await joinByInvitedSso(prisma, email, claims.name?.trim().slice(0, 200) || null)
    if (joined) return { id: joined.id, email: joined.email, name: joined.name, method: 'oidc' as const, mfa: false }
  }
  if (!user || !user.memberships.length) throw new Error('No account uses this email address: ask an admin for an invitation')
  return { id: user.id, email: user.email, name: user.name ?? claims.name ?? null, method: 'oidc' as const, mfa: false }
}

/** next-auth providers for the configured OIDC issuer (none when it is not configured). */
export function oidcProviders(): OAuthConfig<OidcClaims>[] {
  const { issuer, clientId, clientSecret, name } = env().auth.oidc
  if (!issuer || !clientId || !clientSecret) return []
  return [
    {
      id: OIDC_PROVIDER_ID,
      name,
      type: 'oauth',
      wellKnown: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
      issuer,
      clientId,
      clientSecret,
      idToken: true,
      checks: ['pkce', 'state'],
      // The ID token is verified (signature, issuer, audience), but with the code flow a provider may keep the email
      // claims for its userinfo endpoint (oidc-provider does, as the spec allows): ask it, with the access token; the
      // client checks its subject is the ID token's.
      userinfo: {
        async request({ client, tokens }) {
          // next-auth types it as the plain parameters; at run time it is openid-client's TokenSet.
          const set = tokens as unknown as TokenSet
          return { ...set.claims(), ...(await client.userinfo(set)) } as OidcClaims & Record<string, unknown>
        },
      },
      authorization: { params: { scope: 'openid email profile' } },
      profile: (claims) => oidcAccountFor(getPrisma(), claims),
    },
  ]
}
