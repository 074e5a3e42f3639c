import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { setTagsBody, setWorkflowTags } from '@/lib/services/workflow-list'
import { webServices } from '@/lib/composition/web-services'

/** The workflow's whole tag list (no new version: tags are for finding it, not part of what runs). */
export const PUT = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const { tags } = await parseJson(req, setTagsBody)
  return Response.json(await setWorkflowTags(webServices().prisma, auth.tenantId, id, tags))
})
