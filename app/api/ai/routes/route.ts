import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { routeInputSchema, upsertRoute } from '@/lib/models/registry'

/** Creates or replaces a route by name. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, routeInputSchema)
  return Response.json(await upsertRoute(getPrisma(), auth.tenantId, body, catalogChanged))
})
