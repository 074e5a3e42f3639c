import { route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { revokeInvite } from '@/lib/workspaces/invites'

export const DELETE = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await requireActor(req, 'admin')
  await revokeInvite(webWorkspaceDeps(), actor, (await params).id)
  return new Response(null, { status: 204 })
})
