import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { deploymentUpdateSchema } from '@/lib/models/registry'
import { aiAdmin } from '@/lib/services/ai-admin'

export const PUT = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, deploymentUpdateSchema)
  const { id } = await params
  return Response.json(await aiAdmin().updateDeployment(auth.tenantId, id, body))
})
