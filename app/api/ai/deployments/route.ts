import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { deploymentInputSchema } from '@/lib/models/registry'
import { aiAdmin } from '@/lib/services/ai-admin'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, deploymentInputSchema)
  return Response.json(await aiAdmin().createDeployment(auth.tenantId, body), { status: 201 })
})
