import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { draftBody } from '@/lib/services/api-schemas'
import { discardDraft, saveDraft } from '@/lib/services/workflow-drafts'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

/** The designer's autosave: the graph being edited, kept without making a version. */
export const PUT = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, draftBody, { size: 'large' })
  return Response.json(await saveDraft(webServices().prisma, auth, id, body))
})

export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  await discardDraft(webServices().prisma, auth.tenantId, id)
  return new Response(null, { status: 204 })
})
