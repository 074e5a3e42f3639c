// Invitations: by email (sent through the studio's SMTP settings) or as a link the admin copies. The token is random
// and shown once; only its SHA-256 is kept. An invite is single use (accepting it is one conditional UPDATE, so two
// people racing with the same link cannot both join), expires after AUTERITY_INVITE_TTL_S and can be revoked.
import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { actorOf, recordAudit } from '../audit'
import { publishAccessChange } from '../auth/access'
import type { AuthContext } from '../auth/context'
import { hashPassword } from '../auth/password'
import { hasRole, type Role } from '../auth/roles'
import { env } from '../env'
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../errors'
import { sendMail } from '../mail'
import { rateLimits } from '../services/rate-limits'
import type { Actor, WorkspaceDeps } from './deps'
import { assignableRoleSchema } from './members'

/** An invitation that exists but can no longer be used: 410 with the reason. */
export class InviteUnusableError extends AppError {
  constructor(reason: 'used' | 'expired' | 'revoked') {
    const message = {
      used: 'This invitation has already been used',
      expired: 'This invitation has expired: ask for a new one',
      revoked: 'This invitation was withdrawn',
    }[reason]
    super(410, 'INVITE_UNUSABLE', message, { details: { reason } })
  }
}

export const inviteInputSchema = z.strictObject({
  email: z.email('Enter a valid email address').max(254).optional().or(z.literal('').transform(() => undefined)),
  role: assignableRoleSchema,
})

export const acceptInputSchema = z.strictObject({
  token: z.string().min(1, 'The invitation token is missing').max(200),
  name: z.string().trim().min(1, 'Enter your name').max(100).optional(),
  email: z.email('Enter a valid email address').max(254).optional(),
  password: z.string().min(10, 'Use at least 10 characters').max(200).optional(),
})

export interface InviteSummary {
  id: string
  email: string | null
  role: Role
  createdAt: string
  expiresAt: string
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function inviteLink(token: string): string {
  return `${env().publicUrl.replace(/\/+$/, '')}/invite/${token}`
}

export async function createInvite(
  deps: WorkspaceDeps,
  actor: Actor,
  input: { email?: string; role: Role },
): Promise<{ invite: InviteSummary; link: string; emailed: boolean }> {
  const tenantId = actor.ctx.tenantId
  if (!hasRole(actor.ctx.role, input.role)) throw new ForbiddenError(`You cannot invite someone with a role above your own (${actor.ctx.role})`)
  await rateLimits().consume('invite-workspace', tenantId)
  const email = input.email?.toLowerCase()
  if (email) {
    const member = await deps.prisma.membership.findFirst({ where: { tenantId, user: { email } }, select: { id: true } })
    if (member) throw new ConflictError(`${email} is already a member of this workspace`)
  }
  const token = randomBytes(32).toString('base64url')
  const row = await deps.prisma.invite.create({
    data: { tenantId, email: email ?? null, role: input.role, tokenHash: hashToken(token), createdById: actor.ctx.userId, expiresAt: new Date(Date.now() + env().auth.inviteTtlS * 1000) },
  })
  const link = inviteLink(token)
  let emailed = false
  if (email) {
    const tenant = await deps.prisma.tenant.findUnique({ where: { id: tenantId }, select: { name: true } })
    const { sent } = await sendMail({
      to: email,
      subject: `You are invited to ${tenant?.name ?? 'a workspace'} on Auterity Studio`,
      text: `You have been invited to join the workspace "${tenant?.name}" as ${input.role}.\n\nOpen this link to accept (it works once and expires ${row.expiresAt.toUTCString()}):\n${link}\n\nIf you did not expect this, ignore this email.`,
    })
    emailed = sent
  }
  await recordAudit(deps.prisma, { tenantId, actor: actorOf(actor.ctx), action: 'member.invited', target: `invite:${row.id}`, ip: actor.ip, data: { email: email ?? null, role: input.role, emailed } })
  return { invite: summary(row), link, emailed }
}

function summary(row: { id: string; email: string | null; role: string; createdAt: Date; expiresAt: Date }): InviteSummary {
  return { id: row.id, email: row.email, role: row.role as Role, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() }
}

/** Invitations not yet accepted, revoked or expired. */
export async function listPendingInvites(deps: WorkspaceDeps, tenantId: string): Promise<InviteSummary[]> {
  const rows = await deps.prisma.invite.findMany({ where: { tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: 'desc' } })
  return rows.map(summary)
}

export async function revokeInvite(deps: WorkspaceDeps, actor: Actor, id: string): Promise<void> {
  const tenantId = actor.ctx.tenantId
  const row = await deps.prisma.invite.findFirst({ where: { id, tenantId } })
  if (!row) throw new NotFoundError('Invitation')
  if (row.acceptedAt) throw new ConflictError('This invitation was already accepted; remove the member instead')
  if (!row.revokedAt) await deps.prisma.invite.update({ where: { id }, data: { revokedAt: new Date() } })
  await recordAudit(deps.prisma, { tenantId, actor: actorOf(actor.ctx), action: 'member.invite_revoked', target: `invite:${id}`, ip: actor.ip, data: { email: row.email, role: row.role } })
}

export interface InviteView {
  workspaceName: string
  role: Role
  email: string | null
  expiresAt: string
}

type InviteRow = NonNullable<Awaited<ReturnType<WorkspaceDeps['prisma']['invite']['findUnique']>>>

async function usableInvite(deps: WorkspaceDeps, token: string): Promise<InviteRow> {
  const row = await deps.prisma.invite.findUnique({ where: { tokenHash: hashToken(token) } })
  if (!row) throw new NotFoundError('Invitation')
  if (row.revokedAt) throw new InviteUnusableError('revoked')
  if (row.acceptedAt) throw new InviteUnusableError('used')
  if (row.expiresAt <= new Date()) throw new InviteUnusableError('expired')
  return row
}

/** What the accept page shows; throws like accepting would. */
export async function viewInvite(deps: WorkspaceDeps, token: string): Promise<InviteView> {
  const row = await usableInvite(deps, token)
  const tenant = await deps.prisma.tenant.findUnique({ where: { id: row.tenantId }, select: { name: true } })
  return { workspaceName: tenant?.name ?? 'Workspace', role: row.role as Role, email: row.email, expiresAt: row.expiresAt.toISOString() }
}

/** Marks the invite used, or throws why it cannot be: the one UPDATE that makes an invite single use. */
export async function claimInvite(tx: Pick<WorkspaceDeps['prisma'], 'invite'>, row: Pick<InviteRow, 'id'>, userId: string): Promise<void> {
  const { count } = await tx.invite.updateMany({
    where: { id: row.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date(), acceptedById: userId },
  })
  if (!count) throw new InviteUnusableError('used')
}

export type AcceptInput = z.infer<typeof acceptInputSchema>

/**
 * A signed-in user joins (`session` given); anyone else creates their account with name and password (the email is
 * the invite's when it named one). Returns the workspace joined and the account's email, to sign in with.
 */
export async function acceptInvite(
  deps: WorkspaceDeps,
  input: AcceptInput,
  session: AuthContext | null,
  ip: string | null,
): Promise<{ tenantId: string; email: string; created: boolean }> {
  const row = await usableInvite(deps, input.token)
  let userId: string
  let email: string
  let created = false
  if (session?.userId) {
    const user = await deps.prisma.user.findUnique({ where: { id: session.userId }, select: { email: true } })
    if (!user) throw new NotFoundError('User')
    if (row.email && row.email !== user.email.toLowerCase()) throw new ForbiddenError(`This invitation is for ${row.email}; you are signed in as ${user.email}`)
    const member = await deps.prisma.membership.findUnique({ where: { tenantId_userId: { tenantId: row.tenantId, userId: session.userId } }, select: { id: true } })
    if (member) throw new ConflictError('You are already a member of this workspace')
    userId = session.userId
    email = user.email
    await deps.prisma.$transaction(async (tx) => {
      await claimInvite(tx, row, userId)
      await tx.membership.create({ data: { tenantId: row.tenantId, userId, role: row.role } })
      await tx.user.update({ where: { id: userId }, data: { lastTenantId: row.tenantId } })
      if (session.sessionId) await tx.userSession.update({ where: { id: session.sessionId }, data: { tenantId: row.tenantId } })
    })
  } else {
    const fields: Record<string, string> = {}
    email = (row.email ?? input.email ?? '').toLowerCase()
    if (!email) fields.email = 'Enter your email address'
    if (input.email && row.email && input.email.toLowerCase() !== row.email) fields.email = `This invitation is for ${row.email}`
    if (!input.name) fields.name = 'Enter your name'
    if (!input.password) fields.password = 'Choose a password'
    const first = Object.entries(fields)[0]
    if (first) throw new AppError(400, 'VALIDATION_ERROR', `${first[0]}: ${first[1]}`, { fields })
    if (await deps.prisma.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new ConflictError(`An account for ${email} exists already: sign in, then open the invitation link again`)
    }
    const passwordHash = await hashPassword(input.password!)
    userId = await deps.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name: input.name, passwordHash, passwordChangedAt: new Date(), lastTenantId: row.tenantId } })
      await claimInvite(tx, row, user.id)
      await tx.membership.create({ data: { tenantId: row.tenantId, userId: user.id, role: row.role } })
      return user.id
    })
    created = true
  }
  await publishAccessChange(deps.redis)
  await recordAudit(deps.prisma, {
    tenantId: row.tenantId,
    actor: { type: 'user', id: userId, label: email },
    action: 'member.joined',
    target: `member:${userId}`,
    ip,
    data: { inviteId: row.id, role: row.role, newAccount: created },
  })
  return { tenantId: row.tenantId, email, created }
}
