import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await webServices().aiAdmin.listRegistry(auth.tenantId))
})
