import { parseJson, route } from '@/lib/http/route'
import { apiKeyInputSchema, createApiKey, listApiKeys } from '@/lib/workspaces/api-keys'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'

/** Admins see the workspace's keys, others their own; never the secret. */
export const GET = route(async (req) => {
  const actor = await requireActor(req, 'viewer')
  return Response.json({ apiKeys: await listApiKeys(webWorkspaceDeps(), actor) })
})

/** The full key is in this answer only. */
export const POST = route(async (req) => {
  const actor = await requireActor(req, 'editor')
  const input = await parseJson(req, apiKeyInputSchema)
  return Response.json(await createApiKey(webWorkspaceDeps(), actor, input), { status: 201, headers: { 'cache-control': 'no-store' } })
})
