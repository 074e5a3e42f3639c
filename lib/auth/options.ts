// next-auth: email + password (credentials provider) with JWT sessions naming the user and a UserSession row (sid).
// Neither the role nor the workspace is in the token (they would outlive a demotion or a switch): lib/auth/context.ts
// reads the session row and the Membership row on every request.
import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { TooManyRequestsError } from '../errors'
import { appServices } from '../services/app'
import { rateLimits } from '../services/rate-limits'
import { publishAccessChange } from './access'
import { oidcProviders } from './oidc'
import { createSession } from './sessions'
import { SignInRefused, signInWithPassword, type SignedInUser } from './signin'
import { CLIENT_IP_HEADER } from '../http/client-ip'
import { webMetrics } from '../metrics/web'
import { log } from '../log'

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string | null {
  const v = req?.headers?.[name]
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null
}

/** Only the refusals meant for the person reach the login page; anything else is logged and answered vaguely. */
function shownError(err: unknown): Error {
  if (err instanceof SignInRefused || err instanceof TooManyRequestsError) return err
  log.error({ component: 'auth', err }, 'sign-in failed unexpectedly')
  return new Error('Sign-in is not available right now; try again in a moment.')
}

export const authOptions: NextAuthOptions = {
  secret: env().nextAuthSecret,
  session: { strategy: 'jwt', maxAge: env().auth.sessionMaxAgeS },
  pages: { signIn: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
        code: { label: 'Authentication code', type: 'text' },
      },
      async authorize(credentials, req): Promise<SignedInUser | null> {
        const ip = header(req, CLIENT_IP_HEADER)
        try {
          return await signInWithPassword(
            { prisma: getPrisma(), redis: appServices().redis, limits: rateLimits(), failures: webMetrics() },
            { email: credentials?.email, password: credentials?.password, code: credentials?.code, ip, userAgent: header(req, 'user-agent') },
          )
        } catch (err) {
          throw shownError(err)
        }
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
