import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await params
  return Response.json(await webServices().aiAdmin.testDeployment(auth.tenantId, id))
})
