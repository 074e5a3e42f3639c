// Workspaces, members, invitations and API keys through their route handlers, against real PostgreSQL, Redis and a
// local SMTP server: changes hold on the very next request (session cookie and API key alike), invites are single use
// and expiring, keys are shown once and hashed at rest, and nothing of workspace A is reachable from workspace B.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { sessionCookie } from '../../helpers/session'
import { startSmtp, type LocalSmtp } from '../../helpers/smtp'
import * as workspaces from '../../../app/api/workspaces/route'
import * as current from '../../../app/api/workspaces/current/route'
import * as transfer from '../../../app/api/workspaces/current/transfer-ownership/route'
import * as switcher from '../../../app/api/workspaces/switch/route'
import * as members from '../../../app/api/members/route'
import * as member from '../../../app/api/members/[userId]/route'
import * as invites from '../../../app/api/invites/route'
import * as invite from '../../../app/api/invites/[id]/route'
import * as accept from '../../../app/api/invites/accept/route'
import * as apiKeys from '../../../app/api/api-keys/route'
import * as apiKey from '../../../app/api/api-keys/[id]/route'
import { verifyPassword } from '../../../lib/auth/password'
import type { Role } from '../../../lib/auth/roles'
import { closeMail } from '../../../lib/mail'
import { closeAppServices } from '../../../lib/services/app'

const PUBLIC_URL = 'https://studio.example'

let t: Awaited<ReturnType<typeof useTestEnv>>
let smtp: LocalSmtp
let a: SeededTenant
let b: SeededTenant
let aOwner: Caller

beforeAll(async () => {
  smtp = await startSmtp()
  t = await useTestEnv({ NEXTAUTH_URL: PUBLIC_URL, AUTERITY_SMTP_URL: smtp.url })
  a = await seedTenant(t.db.prisma, { name: 'Alpha' })
  b = await seedTenant(t.db.prisma, { name: 'Beta' })
  aOwner = await asSession(a.userId, a.tenantId)
})
afterAll(async () => {
  closeMail()
  await closeAppServices()
  await smtp.close()
  await t.teardown()
})

type Handler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response> | Response
type Caller = { headers: Record<string, string>; userId: string }

async function call(handler: Handler, caller: Caller | null, opts: { method?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(caller?.headers ?? {}) }
  const init: RequestInit = { method: opts.method ?? 'GET', headers }
  if (opts.body !== undefined) init.body = JSON.stringify(opts.body)
  const res = await handler(new Request('http://localhost/api', init), { params: Promise.resolve(opts.params ?? {}) })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null }
}

async function asSession(userId: string, tenantId: string): Promise<Caller> {
  const { cookie } = await sessionCookie(t.db.prisma, { userId, tenantId })
  return { userId, headers: { cookie, origin: 'http://localhost' } }
}

const asKey = (key: string, userId = ''): Caller => ({ userId, headers: { authorization: `Bearer ${key}` } })

/** A new user of `tenantId` with `role`, signed in there. */
async function newMember(tenantId: string, role: Role): Promise<Caller> {
  const user = await t.db.prisma.user.create({ data: { email: `${role}-${randomBytes(4).toString('hex')}@example.test` } })
  await t.db.prisma.membership.create({ data: { tenantId, userId: user.id, role } })
  return asSession(user.id, tenantId)
}

async function makeKey(caller: Caller, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await call(apiKeys.POST, caller, { method: 'POST', body: { name: 'ci', scopes, ...extra } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json as { key: string; apiKey: { id: string; prefix: string; role: Role; scopes: string[] } }
}

const auditActions = async (tenantId: string) => (await t.db.prisma.auditLog.findMany({ where: { tenantId } })).map((e) => e.action)

describe('workspaces', () => {
  it('creates, lists with the current one marked, switches the session and renames', async () => {
    const user = await newMember(a.tenantId, 'viewer')
    const created = await call(workspaces.POST, user, { method: 'POST', body: { name: '  Side project ' } })
    expect(created.status).toBe(201)
    expect(created.json.workspace).toMatchObject({ name: 'Side project', role: 'owner' })
    const id = created.json.workspace.id

    const listed = await call(workspaces.GET, user)
    expect(listed.json.workspaces).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: a.tenantId, role: 'viewer', current: true }),
        expect.objectContaining({ id, role: 'owner', current: false }),
      ]),
    )
    expect((await call(current.PATCH, user, { method: 'PATCH', body: { name: 'Nope' } })).status).toBe(403)

    expect((await call(switcher.POST, user, { method: 'POST', body: { tenantId: id } })).status).toBe(200)
    expect((await call(current.GET, user)).json.workspace).toMatchObject({ id, name: 'Side project', role: 'owner' })
    const renamed = await call(current.PATCH, user, { method: 'PATCH', body: { name: 'Main project' } })
    expect(renamed.json.workspace.name).toBe('Main project')
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['workspace.created', 'workspace.renamed']))

    // Not a member of B: no switching there, and no hint it exists.
    expect((await call(switcher.POST, user, { method: 'POST', body: { tenantId: b.tenantId } })).status).toBe(404)
    expect((await call(switcher.POST, asKey(a.apiKey), { method: 'POST', body: { tenantId: id } })).status).toBe(400)
    const empty = await call(workspaces.POST, user, { method: 'POST', body: { name: ' ' } })
    expect(empty.status).toBe(400)
    expect(empty.json.error.fields).toHaveProperty('name')
  })
})

describe('members', () => {
  it('a role change holds on the next request, for the session cookie and the member’s own API key', async () => {
    const m = await newMember(a.tenantId, 'editor')
    const { key } = await makeKey(m, ['read', 'write'])
    expect((await call(apiKeys.POST, asKey(key), { method: 'POST', body: { name: 'k2', scopes: ['read'] } })).status).toBe(201)

    const changed = await call(member.PATCH, aOwner, { method: 'PATCH', params: { userId: m.userId }, body: { role: 'viewer' } })
    expect(changed.status).toBe(200)
    expect(changed.json.member.role).toBe('viewer')
    expect((await call(apiKeys.POST, m, { method: 'POST', body: { name: 'x', scopes: ['read'] } })).status).toBe(403)
    expect((await call(apiKeys.POST, asKey(key), { method: 'POST', body: { name: 'x', scopes: ['read'] } })).status).toBe(403)
    expect((await call(members.GET, m)).status).toBe(200)

    const entry = await t.db.prisma.auditLog.findFirst({ where: { tenantId: a.tenantId, action: 'member.role_changed', target: `member:${m.userId}` } })
    expect(entry?.data).toMatchObject({ oldRole: 'editor', newRole: 'viewer' })
  })

  it('a removed member is refused at once, and their keys here are revoked', async () => {
    const m = await newMember(a.tenantId, 'editor')
    const { key, apiKey: row } = await makeKey(m, ['read'])
    expect((await call(members.GET, asKey(key))).status).toBe(200)
    expect((await call(member.DELETE, aOwner, { method: 'DELETE', params: { userId: m.userId } })).status).toBe(204)
    expect((await call(members.GET, m)).status).toBe(401)
    expect((await call(members.GET, asKey(key))).status).toBe(401)
    expect((await t.db.prisma.apiKey.findUnique({ where: { id: row.id } }))?.revokedAt).not.toBeNull()
    expect(await auditActions(a.tenantId)).toContain('member.removed')
  })

  it('keeps the owner: not set, not taken, not removed; admins manage only lower roles; anyone else may leave', async () => {
    const admin1 = await newMember(a.tenantId, 'admin')
    const admin2 = await newMember(a.tenantId, 'admin')
    const viewer = await newMember(a.tenantId, 'viewer')
    const patch = (as: Caller, userId: string, role: string) => call(member.PATCH, as, { method: 'PATCH', params: { userId }, body: { role } })

    const toOwner = await patch(aOwner, viewer.userId, 'owner')
    expect(toOwner.status).toBe(400)
    expect(toOwner.json.error.fields).toHaveProperty('role')
    expect((await patch(admin1, a.userId, 'viewer')).status).toBe(403)
    expect((await patch(aOwner, a.userId, 'admin')).status).toBe(403)
    expect((await patch(admin1, admin2.userId, 'viewer')).status).toBe(403)
    expect((await patch(admin1, viewer.userId, 'editor')).status).toBe(200)
    expect((await patch(viewer, viewer.userId, 'admin')).status).toBe(403)
    expect((await call(member.DELETE, admin1, { method: 'DELETE', params: { userId: a.userId } })).status).toBe(403)
    expect((await call(member.DELETE, aOwner, { method: 'DELETE', params: { userId: a.userId } })).status).toBe(403)
    expect((await call(member.DELETE, admin1, { method: 'DELETE', params: { userId: admin2.userId } })).status).toBe(403)
    expect((await call(member.DELETE, viewer, { method: 'DELETE', params: { userId: admin1.userId } })).status).toBe(403)
    expect((await call(member.DELETE, viewer, { method: 'DELETE', params: { userId: viewer.userId } })).status).toBe(204)
    expect((await call(member.DELETE, aOwner, { method: 'DELETE', params: { userId: admin2.userId } })).status).toBe(204)
  })

  it('an admin’s read-only key cannot remove members or revoke others’ keys; leaving moves the session on', async () => {
    const admin = await newMember(a.tenantId, 'admin')
    const readOnly = await makeKey(admin, ['read'])
    const viewer = await newMember(a.tenantId, 'viewer')
    const viewerKey = await call(apiKeys.POST, aOwner, { method: 'POST', body: { name: 'owner key', scopes: ['read'] } })
    expect((await call(member.DELETE, asKey(readOnly.key), { method: 'DELETE', params: { userId: viewer.userId } })).status).toBe(403)
    expect((await call(apiKey.DELETE, asKey(readOnly.key), { method: 'DELETE', params: { id: viewerKey.json.apiKey.id } })).status).toBe(404)

    const side = await call(workspaces.POST, viewer, { method: 'POST', body: { name: 'Elsewhere' } })
    expect((await call(member.DELETE, viewer, { method: 'DELETE', params: { userId: viewer.userId } })).status).toBe(204)
    expect((await call(current.GET, viewer)).json.workspace).toMatchObject({ id: side.json.workspace.id, role: 'owner' })
  })

  it('transfers ownership: the new owner may, the old one is an admin from the next request', async () => {
    const tenant = await seedTenant(t.db.prisma, { name: 'Gamma' })
    const owner = await asSession(tenant.userId, tenant.tenantId)
    const next = await newMember(tenant.tenantId, 'editor')
    expect((await call(transfer.POST, next, { method: 'POST', body: { userId: next.userId } })).status).toBe(403)
    expect((await call(transfer.POST, owner, { method: 'POST', body: { userId: next.userId } })).status).toBe(200)
    const roles = Object.fromEntries((await call(members.GET, next)).json.members.map((m: { userId: string; role: Role }) => [m.userId, m.role]))
    expect(roles).toEqual({ [tenant.userId]: 'admin', [next.userId]: 'owner' })
    expect((await call(transfer.POST, owner, { method: 'POST', body: { userId: owner.userId } })).status).toBe(403)
    const entry = await t.db.prisma.auditLog.findFirst({ where: { tenantId: tenant.tenantId, action: 'workspace.ownership_transferred' } })
    expect(entry?.data).toMatchObject({ from: tenant.userId, to: next.userId, oldRole: 'editor' })
  })
})

const tokenOf = (link: string) => link.split('/invite/')[1]

describe('invitations', () => {
  it('invites by email: the mail carries the link, a new person creates their account once, and can sign in', async () => {
    const email = `new-${randomBytes(4).toString('hex')}@example.test`
    const created = await call(invites.POST, aOwner, { method: 'POST', body: { email, role: 'editor' } })
    expect(created.status).toBe(201)
    expect(created.json.emailed).toBe(true)
    expect(created.json.link).toMatch(new RegExp(`^${PUBLIC_URL}/invite/[A-Za-z0-9_-]{40,}$`))
    const mail = await smtp.waitFor(email)
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain(created.json.link)
    const token = tokenOf(created.json.link)
    expect(JSON.stringify(await t.db.prisma.invite.findMany())).not.toContain(token)
    expect((await call(invites.GET, aOwner)).json.invites.map((i: { id: string }) => i.id)).toContain(created.json.invite.id)

    const wrongEmail = await call(accept.POST, null, { method: 'POST', body: { token, name: 'New', email: 'other@example.test', password: 'a long enough password' } })
    expect(wrongEmail.status).toBe(400)
    expect(wrongEmail.json.error.fields).toHaveProperty('email')
    const shortPassword = await call(accept.POST, null, { method: 'POST', body: { token, name: 'New', password: 'short' } })
    expect(shortPassword.json.error.fields).toHaveProperty('password')

    const joined = await call(accept.POST, null, { method: 'POST', body: { token, name: 'New Person', password: 'a long enough password' } })
    expect(joined.status).toBe(200)
    expect(joined.json).toMatchObject({ tenantId: a.tenantId, email, created: true })
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } })
    expect(await verifyPassword('a long enough password', user.passwordHash!)).toBe(true)
    expect(user.memberships).toEqual([expect.objectContaining({ tenantId: a.tenantId, role: 'editor' })])

    const again = await call(accept.POST, null, { method: 'POST', body: { token, name: 'Someone', email: 'x@example.test', password: 'a long enough password' } })
    expect(again.status).toBe(410)
    expect(again.json.error.message).toMatch(/already been used/)
    expect(await auditActions(a.tenantId)).toEqual(expect.arrayContaining(['member.invited', 'member.joined']))
  })

  it('invites by link: a signed-in user of another workspace joins and their session moves there', async () => {
    const created = await call(invites.POST, aOwner, { method: 'POST', body: { role: 'operator' } })
    expect(created.json.emailed).toBe(false)
    const bUser = await asSession(b.userId, b.tenantId)
    const joined = await call(accept.POST, bUser, { method: 'POST', body: { token: tokenOf(created.json.link) } })
    expect(joined.status).toBe(200)
    expect((await call(current.GET, bUser)).json.workspace).toMatchObject({ id: a.tenantId, role: 'operator' })
  })

  it('refuses an expired, revoked or unknown invitation clearly, and a role above the inviter’s', async () => {
    const admin = await newMember(a.tenantId, 'admin')
    const editor = await newMember(a.tenantId, 'editor')
    expect((await call(invites.POST, editor, { method: 'POST', body: { role: 'viewer' } })).status).toBe(403)
    const asOwner = await call(invites.POST, admin, { method: 'POST', body: { role: 'owner' } })
    expect(asOwner.status).toBe(400)
    expect(asOwner.json.error.fields).toHaveProperty('role')
    const badEmail = await call(invites.POST, admin, { method: 'POST', body: { email: 'not an email', role: 'viewer' } })
    expect(badEmail.json.error.fields).toHaveProperty('email')

    const body = { name: 'X', email: `x-${randomBytes(3).toString('hex')}@example.test`, password: 'a long enough password' }
    const expired = (await call(invites.POST, admin, { method: 'POST', body: { role: 'viewer' } })).json
    await t.db.prisma.invite.update({ where: { id: expired.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const e = await call(accept.POST, null, { method: 'POST', body: { ...body, token: tokenOf(expired.link) } })
    expect([e.status, e.json.error.details.reason]).toEqual([410, 'expired'])

    const revoked = (await call(invites.POST, admin, { method: 'POST', body: { role: 'viewer' } })).json
    expect((await call(invite.DELETE, admin, { method: 'DELETE', params: { id: revoked.invite.id } })).status).toBe(204)
    const r = await call(accept.POST, null, { method: 'POST', body: { ...body, token: tokenOf(revoked.link) } })
    expect([r.status, r.json.error.details.reason]).toEqual([410, 'revoked'])
    expect((await call(invites.GET, admin)).json.invites.map((i: { id: string }) => i.id)).not.toContain(revoked.invite.id)

    expect((await call(accept.POST, null, { method: 'POST', body: { ...body, token: 'nope' } })).status).toBe(404)
    expect(await t.db.prisma.user.findUnique({ where: { email: body.email } })).toBeNull()
  })
})

describe('API keys', () => {
  it('shows the key once, keeps only its hash, and lets it do what its scopes allow', async () => {
    const editor = await newMember(a.tenantId, 'editor')
    const tooHigh = await call(apiKeys.POST, editor, { method: 'POST', body: { name: 'x', scopes: ['admin'] } })
    expect(tooHigh.status).toBe(400)
    expect(tooHigh.json.error.fields).toHaveProperty('scopes')
    expect((await call(apiKeys.POST, editor, { method: 'POST', body: { name: 'x', scopes: ['delete'] } })).json.error.fields).toHaveProperty('scopes.0')

    const { key, apiKey: created } = await makeKey(editor, ['read', 'run'], { expiresInDays: 30 })
    expect(created).toMatchObject({ role: 'operator', scopes: ['read', 'run'], prefix: key.slice(0, 9) })
    const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })
    expect(JSON.stringify(row)).not.toContain(key)
    const listed = await call(apiKeys.GET, editor)
    expect(JSON.stringify(listed.json)).not.toContain(key)
    expect(listed.json.apiKeys.map((k: { id: string }) => k.id)).toEqual([created.id])

    expect((await call(members.GET, asKey(key))).status).toBe(200)
    expect((await call(apiKeys.POST, asKey(key), { method: 'POST', body: { name: 'x', scopes: ['read'] } })).status).toBe(403)
    // The admin sees every key of the workspace, the creator's email with it.
    const all = (await call(apiKeys.GET, aOwner)).json.apiKeys
    expect(all.find((k: { id: string }) => k.id === created.id)?.createdBy?.id).toBe(editor.userId)

    expect((await call(apiKey.DELETE, editor, { method: 'DELETE', params: { id: created.id } })).status).toBe(204)
    expect((await call(members.GET, asKey(key))).status).toBe(401)
    expect(await auditActions(a.tenantId)).toEqual(expect.arrayContaining(['apikey.created', 'apikey.revoked']))
  })

  it('refuses an expired key, and another member’s key to anyone but an admin', async () => {
    const editor = await newMember(a.tenantId, 'editor')
    const other = await newMember(a.tenantId, 'editor')
    const { key, apiKey: created } = await makeKey(editor, ['read'])
    // Expired in the row before its first use: a used key's row is cached for up to 5 s (lib/auth/access.ts), and
    // context.ts compares that cached expiry with the clock on every use.
    await t.db.prisma.apiKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await call(members.GET, asKey(key))).status).toBe(401)

    const second = await makeKey(editor, ['read'])
    expect((await call(apiKey.DELETE, other, { method: 'DELETE', params: { id: second.apiKey.id } })).status).toBe(404)
    expect((await call(apiKey.DELETE, aOwner, { method: 'DELETE', params: { id: second.apiKey.id } })).status).toBe(204)
  })
})

describe('workspace B cannot reach workspace A', () => {
  it('answers 404 for A’s members, keys and invites, and changes nothing', async () => {
    const bOwner = await asSession(b.userId, b.tenantId)
    const aKey = await makeKey(aOwner, ['read'])
    const aInvite = (await call(invites.POST, aOwner, { method: 'POST', body: { role: 'viewer' } })).json.invite
    const victim = await newMember(a.tenantId, 'editor')

    expect((await call(member.PATCH, bOwner, { method: 'PATCH', params: { userId: victim.userId }, body: { role: 'viewer' } })).status).toBe(404)
    expect((await call(member.DELETE, bOwner, { method: 'DELETE', params: { userId: victim.userId } })).status).toBe(404)
    expect((await call(transfer.POST, bOwner, { method: 'POST', body: { userId: victim.userId } })).status).toBe(404)
    expect((await call(apiKey.DELETE, bOwner, { method: 'DELETE', params: { id: aKey.apiKey.id } })).status).toBe(404)
    expect((await call(invite.DELETE, bOwner, { method: 'DELETE', params: { id: aInvite.id } })).status).toBe(404)

    const seen = JSON.stringify([(await call(members.GET, bOwner)).json, (await call(apiKeys.GET, bOwner)).json, (await call(invites.GET, bOwner)).json])
    for (const id of [victim.userId, aKey.apiKey.id, aInvite.id]) expect(seen).not.toContain(id)
    expect((await t.db.prisma.membership.findUnique({ where: { tenantId_userId: { tenantId: a.tenantId, userId: victim.userId } } }))?.role).toBe('editor')
    expect((await t.db.prisma.apiKey.findUnique({ where: { id: aKey.apiKey.id } }))?.revokedAt).toBeNull()
    expect((await t.db.prisma.invite.findUnique({ where: { id: aInvite.id } }))?.revokedAt).toBeNull()
    expect((await call(members.GET, asKey(aKey.key))).status).toBe(200)
  })
})
