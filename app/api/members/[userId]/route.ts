import { z } from 'zod'
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
  await removeMember(webWorkspaceDeps(), actor, (await params).userId)
  return new Response(null, { status: 204 })
})
