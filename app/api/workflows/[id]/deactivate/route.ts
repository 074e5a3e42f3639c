import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { deactivateWorkflow } from '@/lib/services/activation'
import { webServices } from '@/lib/composition/web-services'

/** Stop every webhook, schedule, event and broker trigger of the workflow. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const live = await deactivateWorkflow(webServices().app, auth, id)
  await auditRequest(webServices().prisma, req, auth, 'workflow.deactivated', `workflow:${id}`)
  return Response.json(live)
})
