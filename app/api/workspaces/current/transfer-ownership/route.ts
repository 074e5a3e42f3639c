import { z } from 'zod'
import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { transferOwnership } from '@/lib/workspaces/members'

/** Owner only: the member named becomes the owner, the caller an admin. */
export const POST = route(async (req) => {
  const actor = await requireActor(req, 'owner')
  const { userId } = await parseJson(req, z.strictObject({ userId: z.string().min(1, 'Choose the new owner').max(100) }))
  await transferOwnership(webWorkspaceDeps(), actor, userId)
  return Response.json({ ok: true })
})
