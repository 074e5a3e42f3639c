// next-auth: email + password (credentials provider) with JWT sessions naming the user and a UserSession row (sid).
// Neither the role nor the workspace is in the token (they would outlive a demotion or a switch): lib/auth/context.ts
// reads the session row and the Membership row on every request.
import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { appServices } from '../services/app'
import { publishAccessChange } from './access'
import { oidcProviders } from './oidc'
import { verifyPassword } from './password'
import { createSession } from './sessions'

type SignedInUser = { id: string; email: string; name: string | null; method: 'password' | 'oidc'; mfa: boolean; ip?: string | null; userAgent?: string | null }

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string | null {
  const v = req?.headers?.[name]
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null
}

export const authOptions: NextAuthOptions = {
  secret: env().nextAuthSecret,
  session: { strategy: 'jwt', maxAge: env().auth.sessionMaxAgeS },
  pages: { signIn: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req): Promise<SignedInUser | null> {
        const email = credentials?.email?.trim().toLowerCase()
        if (!email || !credentials?.password) return null
        const user = await getPrisma().user.findUnique({ where: { email }, include: { memberships: { take: 1 } } })
        if (!user?.passwordHash || !(await verifyPassword(credentials.password, user.passwordHash))) return null
        if (!user.memberships.length) return null
        const ip = header(req, 'x-forwarded-for')?.split(',')[0].trim() ?? null
        return { id: user.id, email: user.email, name: user.name, method: 'password', mfa: false, ip, userAgent: header(req, 'user-agent') }
      },
    }),
    ...oidcProviders(),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        // Sign-in: the session row is made here, once; later calls only carry the token on.
        const u = user as unknown as SignedInUser
        const session = await createSession(getPrisma(), { userId: u.id, method: u.method ?? 'password', mfa: u.mfa, ip: u.ip, userAgent: u.userAgent })
        token.sid = session.id
      }
      return token
    },
    async session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.sub } }
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === 'string') {
        await getPrisma().userSession.updateMany({ where: { id: token.sid, revokedAt: null }, data: { revokedAt: new Date() } }).catch(() => undefined)
        await publishAccessChange(appServices().redis).catch(() => undefined)
      }
    },
  },
}
