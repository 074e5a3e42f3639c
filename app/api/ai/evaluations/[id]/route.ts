import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await params
  return Response.json(await webServices().aiAdmin.getEvaluation(auth.tenantId, id))
})
