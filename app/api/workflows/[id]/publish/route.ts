import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { publishBody } from '@/lib/services/api-schemas'
import { publishWorkflow } from '@/lib/services/activation'
import { webServices } from '@/lib/composition/web-services'

/** Make a version (default: the newest draft) the live one and activate the workflow. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, publishBody)
  const live = await publishWorkflow(webServices().app, auth, id, body)
  await auditRequest(webServices().prisma, req, auth, 'workflow.published', `workflow:${id}`, { version: live.publishedVersion })
  return Response.json(live)
})
