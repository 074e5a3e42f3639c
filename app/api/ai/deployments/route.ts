import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { deploymentInputSchema } from '@/lib/models/registry'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, deploymentInputSchema)
  return Response.json(await webServices().aiAdmin.createDeployment(auth.tenantId, body), { status: 201 })
})
