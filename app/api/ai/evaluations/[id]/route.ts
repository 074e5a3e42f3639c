import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { aiAdmin } from '@/lib/services/ai-admin'

export const GET = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await params
  return Response.json(await aiAdmin().getEvaluation(auth.tenantId, id))
})
