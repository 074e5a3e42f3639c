import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { route } from '@/lib/http/route'
import { getEvaluation } from '@/lib/models/evaluations'

export const GET = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await params
  return Response.json(await getEvaluation(getPrisma(), auth.tenantId, id))
})
