// Email + password sign-in, called by the credentials provider (lib/auth/options.ts): rate limits per account and
// per IP with a lockout after repeated failures, the second factor when the account has one, and an audit entry for
// every outcome. Only failures count against the limits; a success clears the account's count. Each refusal is also
// counted by reason for the metrics (auterity_signin_failures_total), without who it was.
// The answer to a wrong password and to an unknown email is the same, and takes as long (a dummy hash is checked).
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/client'
import { recordAudit } from '../audit'
import { TooManyRequestsError } from '../errors'
import type { LimitName, RateLimits } from '../security/rate-limit'
import { checkSecondFactor } from './mfa'
import { hashPassword, verifyPassword } from './password'
import { defaultWorkspace } from './sessions'
import { MFA_REQUIRED } from './signin-codes'
import type { SignInFailure } from '../metrics/metrics'

export interface SignInAttempt {
  email?: string | null
  password?: string | null
  /** A TOTP code or a recovery code, on the second step. */
  code?: string | null
  ip: string | null
  userAgent: string | null
}

export interface SignedInUser {
  id: string
  email: string
  name: string | null
  method: 'password' | 'oidc'
  mfa: boolean
  ip?: string | null
  userAgent?: string | null
}

export interface SignInDeps {
  prisma: PrismaClient
  redis: Redis
  limits: RateLimits
  /** Hears of each refused sign-in (the process's metrics). */
  failures?: { signInFailed(reason: SignInFailure): void }
}

/** A refusal the login page shows as it is (next-auth passes the message of an error thrown by authorize). */
export class SignInRefused extends Error {}

export const WRONG_CODE = 'That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.'
export const NO_WORKSPACE = 'This account is not a member of any workspace. Ask a workspace admin for an invitation.'

let dummyHash: Promise<string> | undefined

/** Null for a wrong email or password; throws SignInRefused or TooManyRequestsError for the other refusals. */
export async function signInWithPassword(deps: SignInDeps, attempt: SignInAttempt): Promise<SignedInUser | null> {
  const email = attempt.email?.trim().toLowerCase()
  if (!email || !attempt.password) return null
  const keys = limitKeys(email, attempt.ip)
  await assertNotLocked(deps.limits, keys).catch((err) => {
    if (err instanceof TooManyRequestsError) deps.failures?.signInFailed('locked')
    throw err
  })

  const user = await deps.prisma.user.findUnique({ where: { email } })
  const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword('not a password')))
  const passwordOk = (await verifyPassword(attempt.password, hash)) && !!user?.passwordHash
  const tenantId = user ? await defaultWorkspace(deps.prisma, user.id) : null
  const audit = (action: 'auth.signin' | 'auth.signin_failed' | 'auth.locked_out', data: Record<string, unknown>) =>
    recordAudit(deps.prisma, {
      tenantId,
      actor: { type: 'user', id: user?.id ?? null, label: email },
      action,
      target: user ? `user:${user.id}` : null,
      outcome: action === 'auth.signin' ? 'success' : 'failure',
      ip: attempt.ip,
      data: { ...data, userAgent: attempt.userAgent?.slice(0, 200) ?? null },
    })
  const fail = async (reason: 'password' | 'unknown_email' | 'code') => {
    deps.failures?.signInFailed(reason)
    await audit('auth.signin_failed', { reason })
    const locked = await countFailure(deps.limits, keys)
    if (locked) {
      await audit('auth.locked_out', { limit: locked.limit, retryAfterS: locked.error.retryAfterS })
      throw locked.error
    }
  }

  if (!user || !passwordOk) {
    await fail(user ? 'password' : 'unknown_email')
    return null
  }
  if (!tenantId) {
    deps.failures?.signInFailed('no_workspace')
    await audit('auth.signin_failed', { reason: 'no_workspace' })
    throw new SignInRefused(NO_WORKSPACE)
  }
  let mfa = false
  if (user.totpEnabledAt) {
    // Not a failure: the password was right, and the page now asks for the code.
    if (!attempt.code?.trim()) throw new SignInRefused(MFA_REQUIRED)
    const factor = await checkSecondFactor(deps.prisma, deps.redis, user, attempt.code.trim())
    if (!factor) {
      await fail('code')
      throw new SignInRefused(WRONG_CODE)
    }
    if (factor === 'recovery') {
      await recordAudit(deps.prisma, { tenantId, actor: { type: 'user', id: user.id, label: email }, action: 'auth.recovery_code_used', target: `user:${user.id}`, ip: attempt.ip })
    }
    mfa = true
  }
  await deps.limits.reset('signin-account', keys[0][1])
  await audit('auth.signin', { method: 'password', mfa })
  return { id: user.id, email: user.email, name: user.name, method: 'password', mfa, ip: attempt.ip, userAgent: attempt.userAgent }
}

type LimitKeys = Array<[LimitName, string]>

function limitKeys(email: string, ip: string | null): LimitKeys {
  // Without a known address (no proxy header) only the account limit applies: one shared bucket would lock everyone.
  return ip ? [['signin-account', email], ['signin-ip', ip]] : [['signin-account', email]]
}

function lockedError(err: TooManyRequestsError, name: LimitName): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil(err.retryAfterS / 60))
  const from = name === 'signin-ip' ? ' from this address' : ''
  return new TooManyRequestsError(`Too many failed sign-ins${from}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, err.retryAfterS)
}

interface Lockout {
  limit: LimitName
  error: TooManyRequestsError
}

/** The first limit the account or address is over now, without counting. */
async function lockout(limits: RateLimits, keys: LimitKeys): Promise<Lockout | null> {
  for (const [name, key] of keys) {
    try {
      await limits.check(name, key)
    } catch (err) {
      if (err instanceof TooManyRequestsError) return { limit: name, error: lockedError(err, name) }
      throw err
    }
  }
  return null
}

async function assertNotLocked(limits: RateLimits, keys: LimitKeys): Promise<void> {
  const locked = await lockout(limits, keys)
  if (locked) throw locked.error
}

/** Counts a failure; returns the lockout it started, if this was the one that reached a limit. */
async function countFailure(limits: RateLimits, keys: LimitKeys): Promise<Lockout | null> {
  for (const [name, key] of keys) await limits.consume(name, key).catch(() => undefined)
  return lockout(limits, keys)
}
