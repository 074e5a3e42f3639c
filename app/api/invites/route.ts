import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { createInvite, inviteInputSchema, listPendingInvites } from '@/lib/workspaces/invites'

export const GET = route(async (req) => {
  const { ctx } = await requireActor(req, 'admin')
  return Response.json({ invites: await listPendingInvites(webWorkspaceDeps(), ctx.tenantId) })
})

/** The link is in the answer once (to copy), whether or not it was also emailed. */
export const POST = route(async (req) => {
  const actor = await requireActor(req, 'admin')
  const input = await parseJson(req, inviteInputSchema)
  return Response.json(await createInvite(webWorkspaceDeps(), actor, input), { status: 201, headers: { 'cache-control': 'no-store' } })
})
