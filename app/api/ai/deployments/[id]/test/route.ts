import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { aiAdmin } from '@/lib/services/ai-admin'

export const POST = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await params
  return Response.json(await aiAdmin().testDeployment(auth.tenantId, id))
})
