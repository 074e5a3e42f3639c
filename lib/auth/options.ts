// next-auth: email + password (credentials provider) with JWT sessions naming the user and tenant. The role is not
// in the token (it would outlive a demotion): lib/auth/context.ts reads the Membership row on every request.
import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { verifyPassword } from './password'

export const authOptions: NextAuthOptions = {
  secret: env().nextAuthSecret,
  session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
  pages: { signIn: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase()
        if (!email || !credentials?.password) return null
        const user = await getPrisma().user.findUnique({ where: { email }, include: { memberships: { orderBy: { createdAt: 'asc' }, take: 1 } } })
        if (!user?.passwordHash || !(await verifyPassword(credentials.password, user.passwordHash))) return null
        const membership = user.memberships[0]
        if (!membership) return null
        return { id: user.id, email: user.email, name: user.name, tenantId: membership.tenantId }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.tenantId = (user as typeof user & { tenantId: string }).tenantId
      }
      return token
    },
    async session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.sub, tenantId: token.tenantId } }
    },
  },
}
