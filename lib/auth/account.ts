// The signed-in person's own account: profile, password, two-step sign-in and sessions. User-level, not
// workspace-level: every call acts on the caller's own user and only from a studio session (an API key belongs to
// a workspace and must not change the password or MFA of the person who made it).
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/client'
import { recordAudit, type AuditAction } from '../audit'
import { ForbiddenError, ValidationError } from '../errors'
import type { AuthContext } from './context'
import { requireAuth } from './context'
import { checkSecondFactor, disableMfa } from './mfa'
import { hashPassword, verifyPassword } from './password'
import { revokeAllSessions } from './sessions'

export interface UserContext extends AuthContext {
  userId: string
  sessionId: string
}

export async function requireUser(req: Request): Promise<UserContext> {
  const ctx = await requireAuth(req, 'viewer')
  if (ctx.via !== 'session' || !ctx.userId || !ctx.sessionId) throw new ForbiddenError('Your own account is managed from a signed-in studio session, not with an API key')
  return ctx as UserContext
}

export interface AccountDeps {
  prisma: PrismaClient
  redis: Redis
}

export async function audit(prisma: PrismaClient, ctx: UserContext, action: AuditAction, ip: string | null, data?: Record<string, unknown>): Promise<void> {
  await recordAudit(prisma, { tenantId: ctx.tenantId, actor: { type: 'user', id: ctx.userId }, action, target: `user:${ctx.userId}`, ip, data })
}

export async function accountView(prisma: PrismaClient, userId: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } })
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    hasPassword: !!user.passwordHash,
    mfa: { enabled: !!user.totpEnabledAt, enabledAt: user.totpEnabledAt, recoveryCodesLeft: user.recoveryCodes.length },
  }
}

const WRONG_PASSWORD = 'That is not your current password'

/** Changes the password (the current one is needed) and ends every other session of the user. */
export async function changePassword(deps: AccountDeps, ctx: UserContext, input: { currentPassword: string; newPassword: string }): Promise<number> {
  const user = await deps.prisma.user.findUniqueOrThrow({ where: { id: ctx.userId }, select: { passwordHash: true } })
  if (user.passwordHash && !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationError(`currentPassword: ${WRONG_PASSWORD}`, { currentPassword: WRONG_PASSWORD })
  }
  await deps.prisma.user.update({ where: { id: ctx.userId }, data: { passwordHash: await hashPassword(input.newPassword), passwordChangedAt: new Date() } })
  return revokeAllSessions(deps.prisma, deps.redis, ctx.userId, ctx.sessionId)
}

/** Turning MFA off needs the password or a current code (a session left open on a shared computer is not enough). */
export async function turnOffMfa(deps: AccountDeps, ctx: UserContext, input: { password?: string; code?: string }): Promise<void> {
  const user = await deps.prisma.user.findUniqueOrThrow({ where: { id: ctx.userId } })
  const byPassword = !!input.password && !!user.passwordHash && (await verifyPassword(input.password, user.passwordHash))
  const byCode = !byPassword && !!input.code && !!user.totpEnabledAt && !!(await checkSecondFactor(deps.prisma, deps.redis, user, input.code))
  if (!byPassword && !byCode) {
    const field = input.password ? 'password' : 'code'
    const message = input.password ? WRONG_PASSWORD : 'Enter your password or a current code from your authenticator app'
    throw new ValidationError(`${field}: ${message}`, { [field]: message })
  }
  await disableMfa(deps.prisma, ctx.userId)
}

export async function listSessions(prisma: PrismaClient, ctx: UserContext) {
  const rows = await prisma.userSession.findMany({
    where: { userId: ctx.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: 'desc' },
  })
  return rows.map((s) => ({
    id: s.id,
    method: s.method,
    mfa: s.mfa,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
    current: s.id === ctx.sessionId,
  }))
}
