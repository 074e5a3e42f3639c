import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { activateWorkflow } from '@/lib/services/activation'
import { webServices } from '@/lib/composition/web-services'

/** Start listening on the published version (a workflow never published publishes its newest draft). */
export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const live = await activateWorkflow(webServices().app, auth, id)
  await auditRequest(webServices().prisma, req, auth, 'workflow.activated', `workflow:${id}`, { version: live.publishedVersion })
  return Response.json(live)
})
