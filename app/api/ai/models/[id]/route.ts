import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { modelUpdateSchema } from '@/lib/models/registry'
import { webServices } from '@/lib/composition/web-services'

export const PUT = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, modelUpdateSchema.partial())
  const { id } = await params
  return Response.json(await webServices().aiAdmin.updateModel(auth.tenantId, id, body))
})
