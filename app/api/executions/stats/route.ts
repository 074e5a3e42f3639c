import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { appServices } from '@/lib/services/app'
import { executionStats } from '@/lib/services/executions'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await executionStats(appServices().prisma, auth.tenantId))
})
