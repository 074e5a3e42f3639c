import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { retryBody } from '@/lib/services/api-schemas'
import { retryExecution } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'operator')
  const { id } = await ctx.params
  const { fromFailedStep, version } = await parseJson(req, retryBody)
  return Response.json(await retryExecution(webServices().app, auth.tenantId, id, fromFailedStep, version), { status: 202 })
})
