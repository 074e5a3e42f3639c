import { z } from 'zod'
import { defaultWorkspace, switchWorkspace } from '@/lib/auth/sessions'
import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { assignableRoleSchema, changeMemberRole, removeMember } from '@/lib/workspaces/members'

type Ctx = { params: Promise<{ userId: string }> }

export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await requireActor(req, 'admin')
  const { role } = await parseJson(req, z.strictObject({ role: assignableRoleSchema }))
  return Response.json({ member: await changeMemberRole(webWorkspaceDeps(), actor, (await params).userId, role) })
})

/** Removes a member (admin+), or the caller leaves (any role but owner). */
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireActor(req, 'viewer')
  const { userId } = await params
  const deps = webWorkspaceDeps()
  await removeMember(deps, actor, userId)
  // Leaving from the studio: the session goes on in another of the person's workspaces, if they have one.
  if (userId === actor.ctx.userId && actor.ctx.sessionId) {
    const next = await defaultWorkspace(deps.prisma, userId)
    if (next) await switchWorkspace(deps.prisma, deps.redis, userId, actor.ctx.sessionId, next)
  }
  return new Response(null, { status: 204 })
})
