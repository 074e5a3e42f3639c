import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { routeInputSchema } from '@/lib/models/registry'
import { webServices } from '@/lib/composition/web-services'

/** Creates or replaces a route by name. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, routeInputSchema)
  return Response.json(await webServices().aiAdmin.upsertRoute(auth.tenantId, body))
})
