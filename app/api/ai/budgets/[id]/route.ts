import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const DELETE = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const { id } = await params
  await webServices().aiAdmin.deleteBudget(auth.tenantId, id)
  return new Response(null, { status: 204 })
})
