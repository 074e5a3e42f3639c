// Workspaces a user belongs to: list, create (the creator is its owner), rename. Switching is lib/auth/sessions.ts's
// switchWorkspace: a session's workspace is its UserSession row's, so no new token is needed.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { actorOf, recordAudit } from '../audit'
import type { Role } from '../auth/roles'
import { ForbiddenError, NotFoundError } from '../errors'
import type { Actor, WorkspaceDeps } from './deps'

export const workspaceNameSchema = z.string().trim().min(1, 'Give the workspace a name').max(100, 'At most 100 characters')

export interface WorkspaceSummary {
  id: string
  name: string
  role: Role
  current: boolean
}

export async function listWorkspaces(deps: WorkspaceDeps, userId: string, currentTenantId: string): Promise<WorkspaceSummary[]> {
  const rows = await deps.prisma.membership.findMany({
    where: { userId },
    include: { tenant: { select: { id: true, name: true } } },
    orderBy: { tenant: { name: 'asc' } },
  })
  return rows.map((m) => ({ id: m.tenant.id, name: m.tenant.name, role: m.role as Role, current: m.tenant.id === currentTenantId }))
}

function slugOf(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'workspace'
  return `${base}-${randomBytes(3).toString('hex')}`
}

/** A new workspace owned by the calling user. A key without a user (the bootstrap key) has nobody to own it. */
export async function createWorkspace(deps: WorkspaceDeps, actor: Actor, name: string): Promise<WorkspaceSummary> {
  const userId = actor.ctx.userId
  if (!userId) throw new ForbiddenError('Only a user (or a user’s API key) can create a workspace: it needs an owner')
  const tenant = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.tenant.create({ data: { name, slug: slugOf(name) } })
    await tx.membership.create({ data: { tenantId: created.id, userId, role: 'owner' } })
    return created
  })
  await recordAudit(deps.prisma, { tenantId: tenant.id, actor: actorOf(actor.ctx), action: 'workspace.created', target: `workspace:${tenant.id}`, ip: actor.ip, data: { name } })
  return { id: tenant.id, name: tenant.name, role: 'owner', current: false }
}

export async function renameWorkspace(deps: WorkspaceDeps, actor: Actor, name: string): Promise<{ id: string; name: string }> {
  const tenantId = actor.ctx.tenantId
  const before = await deps.prisma.tenant.findUnique({ where: { id: tenantId }, select: { name: true } })
  if (!before) throw new NotFoundError('Workspace')
  const tenant = await deps.prisma.tenant.update({ where: { id: tenantId }, data: { name } })
  await recordAudit(deps.prisma, { tenantId, actor: actorOf(actor.ctx), action: 'workspace.renamed', target: `workspace:${tenantId}`, ip: actor.ip, data: { from: before.name, to: name } })
  return { id: tenant.id, name: tenant.name }
}

export async function currentWorkspace(deps: WorkspaceDeps, tenantId: string): Promise<{ id: string; name: string }> {
  const tenant = await deps.prisma.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true } })
  if (!tenant) throw new NotFoundError('Workspace')
  return tenant
}
