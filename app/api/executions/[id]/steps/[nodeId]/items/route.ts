import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { itemsQuery } from '@/lib/services/api-schemas'
import { getStepItems } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

export const GET = route<{ params: Promise<{ id: string; nodeId: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id, nodeId } = await ctx.params
  const q = parseQuery(req, itemsQuery)
  return Response.json(await getStepItems(webServices().prisma, auth.tenantId, id, nodeId, q.port, q.page, q.pageSize))
})
