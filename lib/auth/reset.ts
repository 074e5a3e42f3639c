// Password reset by a signed, expiring, single-use link. The link carries 32 random bytes; only their SHA-256 is kept
// (a database leak yields no usable link). The request answers the same whether or not the email has an account, and
// the email goes out after the answer, so neither the words nor the timing say which. Setting the new password ends
// every session of the user and voids every other link issued before it (passwordChangedAt).
import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { PrismaClient } from '../db/client'
import { recordAudit } from '../audit'
import { env } from '../env'
import { ValidationError } from '../errors'
import { sendMail } from '../mail'
import type { RateLimits } from '../security/rate-limit'
import { hashPassword } from './password'
import { revokeAllSessions, defaultWorkspace } from './sessions'
import { log } from '../log'

const logger = log.child({ component: 'reset' })

/** The one password rule: long enough to resist guessing; anything else is the person's choice. */
export const newPasswordSchema = z.string().min(10, 'Use at least 10 characters').max(200, 'Use at most 200 characters')

export interface ResetDeps {
  prisma: PrismaClient
  redis: Redis
  limits: RateLimits
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export const INVALID_LINK = 'This reset link is not valid any more (used, expired or replaced). Ask for a new one from the sign-in page.'

export async function requestPasswordReset(deps: ResetDeps, input: { email: string; ip: string | null }): Promise<void> {
  const email = input.email.trim().toLowerCase()
  if (input.ip) await deps.limits.consume('reset-ip', input.ip)
  await deps.limits.consume('reset-account', email)
  const user = await deps.prisma.user.findUnique({ where: { email }, select: { id: true, email: true } })
  if (!user) return
  const token = randomBytes(32).toString('base64url')
  const ttlS = env().auth.resetLinkTtlS
  await deps.prisma.passwordReset.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlS * 1000) } })
  const link = `${env().publicUrl.replace(/\/+$/, '')}/reset-password?token=${token}`
  await recordAudit(deps.prisma, {
    tenantId: await defaultWorkspace(deps.prisma, user.id),
    actor: { type: 'user', id: user.id, label: user.email },
    action: 'auth.password_reset_requested',
    target: `user:${user.id}`,
    ip: input.ip,
  })
  void deliver(user.email, link, ttlS)
}

async function deliver(to: string, link: string, ttlS: number): Promise<void> {
  const minutes = Math.max(1, Math.round(ttlS / 60))
  try {
    const { sent } = await sendMail({
      to,
      subject: 'Reset your Auterity Studio password',
      text: `Someone (hopefully you) asked to reset the password of ${to} on Auterity Studio.\n\nSet a new password here within ${minutes} minutes:\n${link}\n\nThe link works once. If you did not ask for this, ignore this email: your password stays as it is.\n`,
    })
    // No SMTP configured: the operator reads the link from the server log and passes it on.
    if (!sent) logger.info({ to, link }, 'AUTERITY_SMTP_URL is not set, so no password reset email was sent; the link is here')
  } catch (err) {
    logger.error({ to, err }, 'could not send the password reset email')
  }
}

/** Sets the new password from a link's token; the link is used up, and every session of the user ends. */
export async function confirmPasswordReset(deps: ResetDeps, input: { token: string; password: string; ip: string | null }): Promise<void> {
  const row = await deps.prisma.passwordReset.findUnique({ where: { tokenHash: hashToken(input.token) } })
  const user = row && (await deps.prisma.user.findUnique({ where: { id: row.userId }, select: { id: true, email: true, passwordChangedAt: true } }))
  const stale = !row || !user || row.usedAt || row.expiresAt <= new Date() || (user.passwordChangedAt && user.passwordChangedAt >= row.createdAt)
  if (stale) throw new ValidationError(`token: ${INVALID_LINK}`, { token: INVALID_LINK })
  // Claimed in one statement: of two submissions of one link, one wins.
  const { count } = await deps.prisma.passwordReset.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } })
  if (!count) throw new ValidationError(`token: ${INVALID_LINK}`, { token: INVALID_LINK })
  await deps.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(input.password), passwordChangedAt: new Date() } })
  await revokeAllSessions(deps.prisma, deps.redis, user.id)
  // Whoever holds the mailbox holds the account: a lockout from someone else's guessing ends here.
  await deps.limits.reset('signin-account', user.email)
  await recordAudit(deps.prisma, {
    tenantId: await defaultWorkspace(deps.prisma, user.id),
    actor: { type: 'user', id: user.id, label: user.email },
    action: 'auth.password_reset',
    target: `user:${user.id}`,
    ip: input.ip,
  })
}
