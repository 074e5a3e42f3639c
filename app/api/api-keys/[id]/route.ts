import { route } from '@/lib/http/route'
import { revokeApiKey } from '@/lib/workspaces/api-keys'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'

/** Revoked keys stop working on the next request in every process. */
export const DELETE = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await requireActor(req, 'viewer')
  await revokeApiKey(webWorkspaceDeps(), actor, (await params).id)
  return new Response(null, { status: 204 })
})
