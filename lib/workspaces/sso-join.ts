// Single sign-on by someone who has no account yet but holds an open invitation: when the identity provider has
// verified an email that an open (not accepted, revoked or expired) invitation names, that sign-in creates the account
// (no password: SSO only, until they set one through "forgot password") and joins the invitation's workspace with its
// role, in one transaction that also uses the invitation up. Link invitations name no email, so they cannot vouch for
// a new account this way: their holder creates the account on the invitation page.
import type { PrismaClient } from '../db/generated/client'
import { recordAudit } from '../audit'
import { claimInvite } from './invites'

export interface SsoJoined {
  id: string
  email: string
  name: string | null
  tenantId: string
}

/** The new account, or null when no open invitation names `email` (lower-cased already). */
export async function joinByInvitedSso(prisma: PrismaClient, email: string, name: string | null): Promise<SsoJoined | null> {
  const now = new Date()
  // The newest open invitation for this address decides the workspace and role; others stay open for later.
  const invite = await prisma.invite.findFirst({
    where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
  })
  if (!invite) return null
  const user = await prisma.$transaction(async (tx) => {
    const created = await tx.user.create({ data: { email, name, lastTenantId: invite.tenantId } })
    // The same conditional UPDATE as accepting on the page: two sign-ins racing cannot both use it.
    await claimInvite(tx, invite, created.id)
    await tx.membership.create({ data: { tenantId: invite.tenantId, userId: created.id, role: invite.role } })
    return created
  })
  await recordAudit(prisma, {
    tenantId: invite.tenantId,
    actor: { type: 'user', id: user.id, label: email },
    action: 'member.joined',
    target: `member:${user.id}`,
    ip: null,
    data: { inviteId: invite.id, role: invite.role, newAccount: true, via: 'sso' },
  })
  return { id: user.id, email, name: user.name, tenantId: invite.tenantId }
}
