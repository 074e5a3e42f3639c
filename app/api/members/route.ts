import { route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { listMembers } from '@/lib/workspaces/members'

export const GET = route(async (req) => {
  const { ctx } = await requireActor(req, 'viewer')
  return Response.json({ members: await listMembers(webWorkspaceDeps(), ctx.tenantId), you: { userId: ctx.userId, role: ctx.role } })
})
