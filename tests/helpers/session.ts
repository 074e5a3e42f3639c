// A studio session cookie for tests: a UserSession row (as a sign-in makes) and the next-auth JWT naming it.
import { encode } from 'next-auth/jwt'
import type { PrismaClient } from '../../lib/db/client'
import { createSession } from '../../lib/auth/sessions'
import { TEST_NEXTAUTH_SECRET } from './db'

export async function sessionCookie(prisma: PrismaClient, user: { userId: string; tenantId: string }): Promise<{ cookie: string; sessionId: string; token: string }> {
  const session = await createSession(prisma, { userId: user.userId, tenantId: user.tenantId, method: 'password' })
  const token = await encode({ token: { sub: user.userId, sid: session.id }, secret: TEST_NEXTAUTH_SECRET })
  return { cookie: `next-auth.session-token=${token}`, sessionId: session.id, token }
}
