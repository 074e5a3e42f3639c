import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { appServices } from '@/lib/services/app'
import { getExecution } from '@/lib/services/executions'

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getExecution(appServices().prisma, auth.tenantId, id))
})
