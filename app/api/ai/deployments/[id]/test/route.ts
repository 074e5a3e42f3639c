import { webDeploymentAccess } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { route } from '@/lib/http/route'
import { testDeploymentConnection } from '@/lib/models/connection'

export const POST = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await params
  return Response.json(await testDeploymentConnection(getPrisma(), webDeploymentAccess(), auth.tenantId, id))
})
