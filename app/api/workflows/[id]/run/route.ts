import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { runBody } from '@/lib/services/api-schemas'
import { runWorkflowNow } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'operator')
  const { id } = await ctx.params
  const body = await parseJson(req, runBody, { size: 'large' })
  return Response.json(await runWorkflowNow(webServices().app, auth.tenantId, id, body), { status: 202 })
})
