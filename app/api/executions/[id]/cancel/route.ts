import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { cancelExecution } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'operator')
  const { id } = await ctx.params
  return Response.json(await cancelExecution(webServices().app, auth.tenantId, id), { status: 202 })
})
