// Membership and API key changes that take effect on the very next request: the row changes, then every process drops
// its access cache (lib/auth/access.ts). The member-management API (issue 16) is to call these, never write the rows
// itself.
import type { Redis } from 'ioredis'
import { publishAccessChange } from '../auth/access'
import type { Role } from '../auth/roles'
import type { PrismaClient } from '../db/client'
import { ConflictError, NotFoundError } from '../errors'

export interface AccessDeps {
  prisma: PrismaClient
  redis: Redis
}

export async function setMemberRole(deps: AccessDeps, tenantId: string, userId: string, role: Role): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: { role: true } })
    if (!member) throw new NotFoundError('Member')
    if (member.role === 'owner' && role !== 'owner') await assertAnotherOwner(tx, tenantId)
    await tx.membership.update({ where: { tenantId_userId: { tenantId, userId } }, data: { role } })
  })
  await publishAccessChange(deps.redis)
}

/** The user's API keys for this tenant stop working too (lib/auth/context.ts refuses a key whose user left). */
export async function removeMember(deps: AccessDeps, tenantId: string, userId: string): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: { role: true } })
    if (!member) throw new NotFoundError('Member')
    if (member.role === 'owner') await assertAnotherOwner(tx, tenantId)
    await tx.membership.delete({ where: { tenantId_userId: { tenantId, userId } } })
  })
  await publishAccessChange(deps.redis)
}

export async function revokeApiKey(deps: AccessDeps, tenantId: string, keyId: string): Promise<void> {
  const key = await deps.prisma.apiKey.findFirst({ where: { id: keyId, tenantId }, select: { revokedAt: true } })
  if (!key) throw new NotFoundError('API key')
  if (!key.revokedAt) await deps.prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } })
  await publishAccessChange(deps.redis)
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]

async function assertAnotherOwner(tx: Tx, tenantId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { tenantId, role: 'owner' } })
  if (owners < 2) throw new ConflictError('A tenant keeps at least one owner: make someone else owner first')
}
