// Studio sessions as rows (UserSession): made at sign-in, named by the JWT's `sid`, checked on every request
// (lib/auth/context.ts). Revoking one, all of a user's, or switching a session's workspace takes effect on the next
// request in every process: the access cache is dropped through Redis (lib/auth/access.ts).
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/client'
import { env } from '../env'
import { NotFoundError } from '../errors'
import { publishAccessChange } from './access'

export interface NewSession {
  userId: string
  /** The workspace it opens in: the user's last one if they are still a member, else their oldest membership. */
  tenantId?: string | null
  method: 'password' | 'oidc'
  mfa?: boolean
  ip?: string | null
  userAgent?: string | null
}

/** The workspace a new session opens in, or null when the user belongs to none. */
export async function defaultWorkspace(prisma: PrismaClient, userId: string): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { lastTenantId: true } })
  if (user?.lastTenantId) {
    const member = await prisma.membership.findUnique({ where: { tenantId_userId: { tenantId: user.lastTenantId, userId } }, select: { id: true } })
    if (member) return user.lastTenantId
  }
  const first = await prisma.membership.findFirst({ where: { userId }, orderBy: { createdAt: 'asc' }, select: { tenantId: true } })
  return first?.tenantId ?? null
}

export async function createSession(prisma: PrismaClient, input: NewSession): Promise<{ id: string; tenantId: string | null; expiresAt: Date }> {
  const tenantId = input.tenantId === undefined ? await defaultWorkspace(prisma, input.userId) : input.tenantId
  const expiresAt = new Date(Date.now() + env().auth.sessionMaxAgeS * 1000)
  const row = await prisma.userSession.create({
    data: {
      userId: input.userId,
      tenantId,
      method: input.method,
      mfa: input.mfa ?? false,
      ip: input.ip?.slice(0, 100) ?? null,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      expiresAt,
    },
  })
  return { id: row.id, tenantId, expiresAt }
}

export async function revokeSession(prisma: PrismaClient, redis: Redis, userId: string, sessionId: string): Promise<void> {
  const { count } = await prisma.userSession.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: new Date() } })
  if (!count && !(await prisma.userSession.findFirst({ where: { id: sessionId, userId }, select: { id: true } }))) throw new NotFoundError('Session')
  await publishAccessChange(redis)
}

/** "Sign out everywhere" (and a password change, which keeps `except`: the session that made it). Returns how many. */
export async function revokeAllSessions(prisma: PrismaClient, redis: Redis, userId: string, except?: string): Promise<number> {
  const { count } = await prisma.userSession.updateMany({
    where: { userId, revokedAt: null, ...(except ? { id: { not: except } } : {}) },
    data: { revokedAt: new Date() },
  })
  await publishAccessChange(redis)
  return count
}

/** Moves a session to another workspace the user belongs to (404 when they do not: no hint that it exists). */
export async function switchWorkspace(prisma: PrismaClient, redis: Redis, userId: string, sessionId: string, tenantId: string): Promise<void> {
  const member = await prisma.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: { id: true } })
  if (!member) throw new NotFoundError('Workspace')
  await prisma.$transaction([
    prisma.userSession.update({ where: { id: sessionId }, data: { tenantId } }),
    prisma.user.update({ where: { id: userId }, data: { lastTenantId: tenantId } }),
  ])
  await publishAccessChange(redis)
}
