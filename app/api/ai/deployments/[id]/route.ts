import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { deploymentUpdateSchema, updateDeployment } from '@/lib/models/registry'

export const PUT = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, deploymentUpdateSchema)
  const { id } = await params
  return Response.json(await updateDeployment(getPrisma(), auth.tenantId, id, body, catalogChanged))
})
