import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { createDeployment, deploymentInputSchema } from '@/lib/models/registry'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, deploymentInputSchema)
  return Response.json(await createDeployment(getPrisma(), auth.tenantId, body, catalogChanged), { status: 201 })
})
