// Members of a workspace: list, change a role, remove (or leave), transfer ownership. Every change drops the access
// cache in every process (publishAccessChange), so it holds on the member's very next request, session or API key.
//
// The rules, in one place:
// - 'owner' is neither given nor taken here: ownership moves only by transfer, so a workspace always has an owner.
// - Only the owner changes or removes an admin; an admin manages editors, operators and viewers.
// - Nobody demotes themselves when no other admin or owner would be left.
// - The owner cannot be removed (nor leave); anyone else may leave. A removed member's API keys here are revoked.
import { z } from 'zod'
import { actorOf, recordAudit } from '../audit'
import { publishAccessChange } from '../auth/access'
import { hasRole, type Role } from '../auth/roles'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors'
import { actsAsAdmin, type Actor, type WorkspaceDeps } from './deps'

/** Roles that may be given on the members page and in invitations ('owner' moves by transfer only). */
export const ASSIGNABLE_ROLES = ['admin', 'editor', 'operator', 'viewer'] as const
export const assignableRoleSchema = z.enum(ASSIGNABLE_ROLES, { message: `Choose one of: ${ASSIGNABLE_ROLES.join(', ')}` })

export interface MemberSummary {
  userId: string
  email: string
  name: string | null
  role: Role
  joinedAt: string
}

export async function listMembers(deps: WorkspaceDeps, tenantId: string): Promise<MemberSummary[]> {
  const rows = await deps.prisma.membership.findMany({ where: { tenantId }, include: { user: { select: { email: true, name: true } } }, orderBy: { createdAt: 'asc' } })
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role as Role, joinedAt: m.createdAt.toISOString() }))
}

async function memberOf(deps: WorkspaceDeps, tenantId: string, userId: string): Promise<{ role: Role }> {
  const row = await deps.prisma.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: { role: true } })
  if (!row) throw new NotFoundError('Member')
  return { role: row.role as Role }
}

/** An admin acting on another admin (or anyone on the owner) needs to be the owner. */
function assertMayManage(actor: Actor, targetUserId: string, targetRole: Role): void {
  if (targetRole === 'owner') throw new ForbiddenError('The owner’s role changes only by transferring ownership')
  if (targetRole === 'admin' && targetUserId !== actor.ctx.userId && actor.ctx.role !== 'owner') {
    throw new ForbiddenError('Only the owner can change or remove another admin')
  }
}

export async function changeMemberRole(deps: WorkspaceDeps, actor: Actor, targetUserId: string, role: Role): Promise<MemberSummary> {
  const tenantId = actor.ctx.tenantId
  if (role === 'owner') throw new ForbiddenError('Make someone the owner by transferring ownership')
  const { role: oldRole } = await memberOf(deps, tenantId, targetUserId)
  assertMayManage(actor, targetUserId, oldRole)
  if (!hasRole(actor.ctx.role, role)) throw new ForbiddenError(`You cannot give a role above your own (${actor.ctx.role})`)
  if (targetUserId === actor.ctx.userId && hasRole(oldRole, 'admin') && !hasRole(role, 'admin')) {
    const others = await deps.prisma.membership.count({ where: { tenantId, role: { in: ['admin', 'owner'] }, userId: { not: targetUserId } } })
    if (!others) throw new ConflictError('You are the last admin: make someone else an admin first')
  }
  await deps.prisma.membership.update({ where: { tenantId_userId: { tenantId, userId: targetUserId } }, data: { role } })
  await publishAccessChange(deps.redis)
  await recordAudit(deps.prisma, { tenantId, actor: actorOf(actor.ctx), action: 'member.role_changed', target: `member:${targetUserId}`, ip: actor.ip, data: { oldRole, newRole: role } })
  const [member] = (await listMembers(deps, tenantId)).filter((m) => m.userId === targetUserId)
  return member
}

/** Removes a member (admin+), or the caller themselves (leaving). Their API keys in this workspace are revoked. */
export async function removeMember(deps: WorkspaceDeps, actor: Actor, targetUserId: string): Promise<void> {
  const tenantId = actor.ctx.tenantId
  const leaving = targetUserId === actor.ctx.userId
  const { role: oldRole } = await memberOf(deps, tenantId, targetUserId)
  if (oldRole === 'owner') throw new ForbiddenError(leaving ? 'The owner cannot leave: transfer ownership first' : 'The owner cannot be removed')
  if (!leaving) {
    if (!actsAsAdmin(actor.ctx)) throw new ForbiddenError('Removing someone else needs the admin role (and an API key’s admin scope)')
    assertMayManage(actor, targetUserId, oldRole)
  }
  await deps.prisma.$transaction([
    deps.prisma.membership.delete({ where: { tenantId_userId: { tenantId, userId: targetUserId } } }),
    deps.prisma.apiKey.updateMany({ where: { tenantId, userId: targetUserId, revokedAt: null }, data: { revokedAt: new Date() } }),
  ])
  await publishAccessChange(deps.redis)
  await recordAudit(deps.prisma, { tenantId, actor: actorOf(actor.ctx), action: 'member.removed', target: `member:${targetUserId}`, ip: actor.ip, data: { oldRole, left: leaving } })
}

/** Owner only: `targetUserId` becomes the owner and the caller an admin, in one transaction. */
export async function transferOwnership(deps: WorkspaceDeps, actor: Actor, targetUserId: string): Promise<void> {
  const tenantId = actor.ctx.tenantId
  const ownerId = actor.ctx.userId
  if (actor.ctx.role !== 'owner' || !ownerId) throw new ForbiddenError('Only the owner can transfer ownership')
  if (targetUserId === ownerId) throw new ConflictError('You already own this workspace')
  const { role: oldRole } = await memberOf(deps, tenantId, targetUserId)
  await deps.prisma.$transaction([
    deps.prisma.membership.update({ where: { tenantId_userId: { tenantId, userId: targetUserId } }, data: { role: 'owner' } }),
    deps.prisma.membership.update({ where: { tenantId_userId: { tenantId, userId: ownerId } }, data: { role: 'admin' } }),
  ])
  await publishAccessChange(deps.redis)
  await recordAudit(deps.prisma, {
    tenantId,
    actor: actorOf(actor.ctx),
    action: 'workspace.ownership_transferred',
    target: `member:${targetUserId}`,
    ip: actor.ip,
    data: { from: ownerId, to: targetUserId, oldRole, newRole: 'owner', previousOwnerRole: 'admin' },
  })
}
