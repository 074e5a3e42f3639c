// TOTP multi-factor sign-in (RFC 6238, otplib): enrolment (a secret shown once as a QR code and as text), its
// confirmation by a first code, ten single-use recovery codes, and the check at sign-in.
// The secret is sealed with the master key, bound to its user (AAD `totp:<userId>`), so a secret copied onto
// another user's row does not open; it names the key that sealed it, and `npm run rotate-key` reseals it. Recovery codes are kept as SHA-256 hashes: each is 48 random bits, which a
// slow hash would not make stronger. A code that signed in once is refused for the rest of its time step window
// (the last accepted step is kept in Redis), so a code read over someone's shoulder cannot be replayed.
import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'
import type { PrismaClient } from '../db/client'
import { keyringFromEnv } from '../credentials/keyring'
import { openWithMaster, sealWithMaster } from '../credentials/master-seal'
import { env } from '../env'
import { ConflictError, ValidationError } from '../errors'

const ISSUER = 'Auterity Studio'
export const RECOVERY_CODE_COUNT = 10
/** One step either side: a phone clock a little off still works. */
const EPOCH_TOLERANCE_S = 30

export interface Enrolment {
  /** Base32, for typing into an authenticator app that cannot scan. */
  secret: string
  uri: string
  /** The otpauth URI as a PNG data URL. */
  qrDataUrl: string
}

const aad = (userId: string) => `totp:${userId}`
let keyring: { env: object; ring: ReturnType<typeof keyringFromEnv> } | undefined
/** The process's master keys (made again when tests reset the env). */
function keys() {
  const e = env()
  if (keyring?.env !== e) keyring = { env: e, ring: keyringFromEnv() }
  return keyring.ring
}

export function sealSecret(userId: string, secret: string): string {
  return sealWithMaster(keys().wrapping, secret, aad(userId))
}

function openSecret(userId: string, sealed: string): string {
  return openWithMaster(keys(), sealed, aad(userId))
}


/** Starts (or restarts) enrolment: a new secret, kept sealed and not yet live until confirmEnrolment. */
export async function beginEnrolment(prisma: PrismaClient, userId: string): Promise<Enrolment> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, totpEnabledAt: true } })
  if (user.totpEnabledAt) throw new ConflictError('Two-step sign-in is already on; turn it off first to set up a new authenticator')
  const secret = generateSecret()
  await prisma.user.update({ where: { id: userId }, data: { totpSecret: sealSecret(userId, secret) } })
  const uri = generateURI({ issuer: ISSUER, label: user.email, secret })
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) }
}

/** Turns MFA on once the first code from the app matches; returns the recovery codes (shown once). */
export async function confirmEnrolment(prisma: PrismaClient, redis: Redis, userId: string, code: string): Promise<string[]> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true } })
  if (user.totpEnabledAt) throw new ConflictError('Two-step sign-in is already on')
  if (!user.totpSecret) throw new ValidationError('code: start the set-up first', { code: 'Start the set-up first' })
  if (!(await checkTotp(redis, userId, user.totpSecret, code))) {
    throw new ValidationError('code: that code does not match; check the time on your phone and try the newest code', { code: 'That code does not match' })
  }
  const codes = newRecoveryCodes()
  await prisma.user.update({ where: { id: userId }, data: { totpEnabledAt: new Date(), recoveryCodes: codes.map(hashRecoveryCode) } })
  return codes
}

export async function disableMfa(prisma: PrismaClient, userId: string): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, recoveryCodes: [] } })
}

export type SecondFactor = 'totp' | 'recovery'

/** Checks a sign-in's second factor: a current TOTP code, or an unused recovery code (used up by this call). */
export async function checkSecondFactor(
  prisma: PrismaClient,
  redis: Redis,
  user: { id: string; totpSecret: string | null },
  code: string,
): Promise<SecondFactor | null> {
  const digits = code.replace(/\s+/g, '')
  if (/^\d{6}$/.test(digits)) return user.totpSecret && (await checkTotp(redis, user.id, user.totpSecret, digits)) ? 'totp' : null
  return (await useRecoveryCode(prisma, user.id, code)) ? 'recovery' : null
}

async function checkTotp(redis: Redis, userId: string, sealed: string, code: string): Promise<boolean> {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return false
  const key = `${env().queuePrefix}:mfa-step:${userId}`
  const last = Number(await redis.get(key).catch(() => null)) || undefined
  const result = await verify({ secret: openSecret(userId, sealed), token, epochTolerance: EPOCH_TOLERANCE_S, afterTimeStep: last })
  if (!result.valid || !('timeStep' in result)) return false
  // SET only if higher is not atomic across two simultaneous sign-ins with one code; the window is a few ms.
  await redis.set(key, String(result.timeStep), 'EX', 120).catch(() => undefined)
  return true
}

/** Removes the code's hash in one statement, so two sign-ins racing with one code cannot both succeed. */
async function useRecoveryCode(prisma: PrismaClient, userId: string, code: string): Promise<boolean> {
  const hash = hashRecoveryCode(code)
  const count = await prisma.$executeRaw`UPDATE "User" SET "recoveryCodes" = array_remove("recoveryCodes", ${hash}) WHERE "id" = ${userId} AND ${hash} = ANY("recoveryCodes")`
  return count === 1
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(6).toString('hex')
    return `${raw.slice(0, 6)}-${raw.slice(6)}`
  })
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]+/g, '')).digest('hex')
}
