import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { modelInputSchema } from '@/lib/models/registry'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, modelInputSchema)
  return Response.json(await webServices().aiAdmin.createModel(auth.tenantId, body), { status: 201 })
})
