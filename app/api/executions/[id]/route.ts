import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { getExecution } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getExecution(webServices().prisma, auth.tenantId, id))
})
