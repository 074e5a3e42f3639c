// Accounts (real PostgreSQL, Redis and a local SMTP server): sign-in lockout, TOTP two-step sign-in with recovery
// codes, password reset by emailed link, password change and session revocation, through the credentials provider's
// authorize and the route handlers.
import { generate } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { sessionCookie } from '../../helpers/session'
import { startSmtp, type LocalSmtp } from '../../helpers/smtp'
import { call } from '../backbone/support'
import * as account from '../../../app/api/account/route'
import * as password from '../../../app/api/account/password/route'
import * as enrol from '../../../app/api/account/mfa/enrol/route'
import * as confirm from '../../../app/api/account/mfa/confirm/route'
import * as disable from '../../../app/api/account/mfa/disable/route'
import * as sessions from '../../../app/api/account/sessions/route'
import * as oneSession from '../../../app/api/account/sessions/[id]/route'
import * as revokeAll from '../../../app/api/account/sessions/revoke-all/route'
import * as resetRequest from '../../../app/api/auth/reset/request/route'
import * as resetConfirm from '../../../app/api/auth/reset/confirm/route'
import { authOptions } from '../../../lib/auth/options'
import { MFA_REQUIRED } from '../../../lib/auth/signin-codes'
import { WRONG_CODE } from '../../../lib/auth/signin'
import { closeMail } from '../../../lib/mail'
import { resetEnv } from '../../../lib/env'
import { appServices, closeAppServices } from '../../../lib/services/app'

const LOCK_AFTER = 3
let t: Awaited<ReturnType<typeof useTestEnv>>
let smtp: LocalSmtp

beforeAll(async () => {
  smtp = await startSmtp()
  t = await useTestEnv({ AUTERITY_SMTP_URL: smtp.url, AUTERITY_RATE_SIGNIN_ACCOUNT: String(LOCK_AFTER), AUTERITY_SIGNIN_LOCKOUT_S: '600' })
})
afterAll(async () => {
  closeMail()
  await closeAppServices()
  await t.teardown()
  await smtp.close()
})

type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string; mfa: boolean } | null>
const authorize = (creds: Record<string, string>, ip = '203.0.113.9') =>
  ((authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize)(creds, { headers: { 'x-auterity-client-ip': ip, 'user-agent': 'vitest' } })

/** authorize's answer: the user, or the message the login page would show. */
async function signIn(creds: Record<string, string>, ip?: string): Promise<{ id: string; mfa: boolean } | string | null> {
  try {
    return await authorize(creds, ip)
  } catch (err) {
    return (err as Error).message
  }
}

const as = (cookie: string) => ({ cookie, origin: 'http://localhost' })
const audits = (action: string) => t.db.prisma.auditLog.findMany({ where: { action }, orderBy: { createdAt: 'asc' } })

describe('sign-in lockout', () => {
  it('locks an account after repeated failures, with the minutes to wait, and audits every step', async () => {
    const u = await seedTenant(t.db.prisma)
    for (let i = 1; i < LOCK_AFTER; i++) expect(await signIn({ email: u.email, password: 'wrong password' })).toBeNull()
    expect(await signIn({ email: u.email, password: 'wrong password' })).toBe('Too many failed sign-ins; try again in 10 minutes')
    // Locked: even the right password is refused, from another address too.
    expect(await signIn({ email: u.email, password: u.password }, '198.51.100.7')).toMatch(/^Too many failed sign-ins; try again in \d+ minutes?$/)

    const failed = (await audits('auth.signin_failed')).filter((a) => a.actorId === u.userId)
    expect(failed).toHaveLength(LOCK_AFTER)
    expect(failed[0]).toMatchObject({ tenantId: u.tenantId, outcome: 'failure', ip: '203.0.113.9', actorLabel: u.email })
    expect((await audits('auth.locked_out')).filter((a) => a.actorId === u.userId)).toHaveLength(1)
    expect((await audits('auth.signin')).filter((a) => a.actorId === u.userId)).toHaveLength(0)
  })

  it('audits an unknown email without a workspace and answers as for a wrong password', async () => {
    expect(await signIn({ email: 'nobody@example.test', password: 'whatever it is' })).toBeNull()
    const [row] = (await audits('auth.signin_failed')).filter((a) => a.actorLabel === 'nobody@example.test')
    expect(row).toMatchObject({ tenantId: null, actorId: null, ip: '203.0.113.9' })
  })

  it('signs in with the right password, audited with its address, and clears earlier failures', async () => {
    const u = await seedTenant(t.db.prisma)
    expect(await signIn({ email: u.email, password: 'nope nope nope' })).toBeNull()
    expect(await signIn({ email: u.email.toUpperCase(), password: u.password })).toMatchObject({ id: u.userId, mfa: false })
    for (let i = 1; i < LOCK_AFTER; i++) expect(await signIn({ email: u.email, password: 'wrong password' })).toBeNull()
    expect(await signIn({ email: u.email, password: u.password })).toMatchObject({ id: u.userId })
    const [ok] = (await audits('auth.signin')).filter((a) => a.actorId === u.userId)
    expect(ok).toMatchObject({ tenantId: u.tenantId, outcome: 'success', ip: '203.0.113.9' })
  })
})

describe('two-step sign-in (TOTP)', () => {
  let u: SeededTenant
  let cookie: string
  let secret: string
  let recoveryCodes: string[]

  beforeAll(async () => {
    u = await seedTenant(t.db.prisma)
    cookie = (await sessionCookie(t.db.prisma, u)).cookie
  })

  it('enrols with a QR code and a first code, then returns ten recovery codes once', async () => {
    const started = await call(enrol.POST, { method: 'POST', headers: as(cookie) })
    expect(started.status).toBe(200)
    expect(started.json.qrDataUrl).toMatch(/^data:image\/png;base64,/)
    expect(started.json.uri).toContain(`secret=${started.json.secret}`)
    secret = started.json.secret
    const stored = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.userId } })
    expect(stored.totpSecret).not.toContain(secret)

    const wrong = await call(confirm.POST, { method: 'POST', headers: as(cookie), body: { code: '12345' } })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error.fields.code).toBeDefined()

    const done = await call(confirm.POST, { method: 'POST', headers: as(cookie), body: { code: await generate({ secret }) } })
    expect(done.status).toBe(200)
    recoveryCodes = done.json.recoveryCodes
    expect(recoveryCodes).toHaveLength(10)
    const view = await call(account.GET, { headers: as(cookie) })
    expect(view.json.mfa).toMatchObject({ enabled: true, recoveryCodesLeft: 10 })
    expect(JSON.stringify(view.json)).not.toContain(recoveryCodes[0])
    expect(await audits('auth.mfa_enabled')).toHaveLength(1)
  })

  it('asks for the code after the password, refuses a wrong one, marks the session as MFA', async () => {
    expect(await signIn({ email: u.email, password: u.password })).toBe(MFA_REQUIRED)
    expect(await signIn({ email: u.email, password: u.password, code: '000000' })).toBe(WRONG_CODE)
    // The code that confirmed the enrolment is used up: the next time step's (within the allowed drift) is not.
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 })
    expect(await signIn({ email: u.email, password: 'wrong password', code })).toBeNull()
    const user = await signIn({ email: u.email, password: u.password, code })
    expect(user).toMatchObject({ id: u.userId, mfa: true })
    // The same code again in its window is a replay.
    expect(await signIn({ email: u.email, password: u.password, code })).toBe(WRONG_CODE)
    // The jwt callback makes the session row with the MFA flag.
    const token = await authOptions.callbacks!.jwt!({ token: { sub: u.userId }, user: user as never, account: null } as never)
    const row = await t.db.prisma.userSession.findUniqueOrThrow({ where: { id: String(token.sid) } })
    expect(row.mfa).toBe(true)
  })

  it('takes a recovery code once', async () => {
    await appServices().redis.del(`${process.env.AUTERITY_QUEUE_PREFIX}:rl:signin-account:${u.email}`)
    const code = recoveryCodes[3].toUpperCase()
    expect(await signIn({ email: u.email, password: u.password, code })).toMatchObject({ id: u.userId, mfa: true })
    expect(await signIn({ email: u.email, password: u.password, code })).toBe(WRONG_CODE)
    expect(await audits('auth.recovery_code_used')).toHaveLength(1)
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.userId } })).recoveryCodes).toHaveLength(9)
  })

  it('turns off with the password, not with a wrong one', async () => {
    const wrong = await call(disable.POST, { method: 'POST', headers: as(cookie), body: { password: 'not it at all' } })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error.fields.password).toBeDefined()
    expect((await call(disable.POST, { method: 'POST', headers: as(cookie), body: { password: u.password } })).status).toBe(200)
    await appServices().redis.del(`${process.env.AUTERITY_QUEUE_PREFIX}:rl:signin-account:${u.email}`)
    expect(await signIn({ email: u.email, password: u.password })).toMatchObject({ id: u.userId, mfa: false })
    expect(await audits('auth.mfa_disabled')).toHaveLength(1)
  })

  it('refuses API keys on account routes', async () => {
    expect((await call(account.GET, { headers: u.headers })).status).toBe(403)
    expect((await call(enrol.POST, { method: 'POST', headers: u.headers })).status).toBe(403)
  })
})

describe('password reset by email', () => {
  const linkIn = (raw: string) => {
    // The body may be quoted-printable: soft line breaks and =XX escapes undone first.
    const text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)![1]
  }

  it('emails a single-use link that sets the password and ends every session', async () => {
    const u = await seedTenant(t.db.prisma)
    const { cookie } = await sessionCookie(t.db.prisma, u)
    expect((await call(account.GET, { headers: as(cookie) })).status).toBe(200)

    const asked = await call(resetRequest.POST, { method: 'POST', body: { email: u.email } })
    const unknown = await call(resetRequest.POST, { method: 'POST', body: { email: 'nobody-here@example.test' } })
    expect(asked.status).toBe(200)
    expect(unknown).toMatchObject({ status: asked.status, json: asked.json })
    const token = linkIn((await smtp.waitFor(u.email)).raw)
    expect(smtp.received.some((m) => m.to.includes('nobody-here@example.test'))).toBe(false)

    const short = await call(resetConfirm.POST, { method: 'POST', body: { token, password: 'short' } })
    expect(short.status).toBe(400)
    expect(short.json.error.fields.password).toBeDefined()
    const done = await call(resetConfirm.POST, { method: 'POST', body: { token, password: 'a brand new password' } })
    expect(done.json).toEqual({ ok: true })
    expect((await call(account.GET, { headers: as(cookie) })).status).toBe(401)
    expect(await signIn({ email: u.email, password: 'a brand new password' })).toMatchObject({ id: u.userId })
    expect(await signIn({ email: u.email, password: u.password })).toBeNull()

    const again = await call(resetConfirm.POST, { method: 'POST', body: { token, password: 'another new password' } })
    expect(again.status).toBe(400)
    expect(again.json.error.fields.token).toMatch(/not valid/)
    expect(await audits('auth.password_reset')).toHaveLength(1)
  })

  it('names a bad email, and limits requests per email with 429 and Retry-After whether or not it has an account', async () => {
    const bad = await call(resetRequest.POST, { method: 'POST', body: { email: 'not an email' } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.fields.email).toBeDefined()
    const ask = () => call(resetRequest.POST, { method: 'POST', body: { email: 'nobody-limited@example.test' }, headers: { 'x-auterity-client-ip': '192.0.2.44' } })
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(200)
    const over = await ask()
    expect(over.status).toBe(429)
    expect(Number(over.res.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('refuses an expired link', async () => {
    process.env.AUTERITY_RESET_LINK_TTL_S = '1'
    resetEnv()
    try {
      const u = await seedTenant(t.db.prisma)
      await call(resetRequest.POST, { method: 'POST', body: { email: u.email } })
      const token = linkIn((await smtp.waitFor(u.email)).raw)
      // Expire the row rather than wait for the clock.
      await t.db.prisma.passwordReset.updateMany({ where: { userId: u.userId }, data: { expiresAt: new Date(Date.now() - 1000) } })
      const res = await call(resetConfirm.POST, { method: 'POST', body: { token, password: 'a brand new password' } })
      expect(res.status).toBe(400)
      const row = await t.db.prisma.passwordReset.findFirstOrThrow({ where: { userId: u.userId } })
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(1500)
    } finally {
      delete process.env.AUTERITY_RESET_LINK_TTL_S
      resetEnv()
    }
  })
})

describe('password change and sessions', () => {
  it('changing the password needs the current one and ends the other sessions only', async () => {
    const u = await seedTenant(t.db.prisma)
    const mine = await sessionCookie(t.db.prisma, u)
    const other = await sessionCookie(t.db.prisma, u)
    const wrong = await call(password.POST, { method: 'POST', headers: as(mine.cookie), body: { currentPassword: 'nope', newPassword: 'a brand new password' } })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error.fields.currentPassword).toBeDefined()
    const ok = await call(password.POST, { method: 'POST', headers: as(mine.cookie), body: { currentPassword: u.password, newPassword: 'a brand new password' } })
    expect(ok).toMatchObject({ status: 200, json: { otherSessionsEnded: 1 } })
    expect((await call(account.GET, { headers: as(mine.cookie) })).status).toBe(200)
    expect((await call(account.GET, { headers: as(other.cookie) })).status).toBe(401)
  })

  it('lists sessions, signs one out, and signs out everywhere', async () => {
    const u = await seedTenant(t.db.prisma)
    const mine = await sessionCookie(t.db.prisma, u)
    const other = await sessionCookie(t.db.prisma, u)
    const stranger = await seedTenant(t.db.prisma)
    const theirs = await sessionCookie(t.db.prisma, stranger)

    const list = await call(sessions.GET, { headers: as(mine.cookie) })
    expect(list.json.sessions).toHaveLength(2)
    expect(list.json.sessions.find((s: { current: boolean }) => s.current).id).toBe(mine.sessionId)

    const del = (id: string) => call(oneSession.DELETE, { method: 'DELETE', headers: as(mine.cookie), params: { id } })
    expect((await del(theirs.sessionId)).status).toBe(404)
    expect((await call(account.GET, { headers: as(theirs.cookie) })).status).toBe(200)
    expect((await del(other.sessionId)).status).toBe(204)
    expect((await call(account.GET, { headers: as(other.cookie) })).status).toBe(401)
    expect((await call(account.GET, { headers: as(mine.cookie) })).status).toBe(200)

    const third = await sessionCookie(t.db.prisma, u)
    expect((await call(revokeAll.POST, { method: 'POST', headers: as(mine.cookie) })).status).toBe(200)
    expect((await call(account.GET, { headers: as(mine.cookie) })).status).toBe(401)
    expect((await call(account.GET, { headers: as(third.cookie) })).status).toBe(401)
  })
})
