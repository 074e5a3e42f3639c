import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { appServices } from '@/lib/services/app'
import { cancelExecution } from '@/lib/services/executions'

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  return Response.json(await cancelExecution(appServices(), auth.tenantId, id), { status: 202 })
})
