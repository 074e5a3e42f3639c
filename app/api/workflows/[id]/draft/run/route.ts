import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { draftRunBody } from '@/lib/services/api-schemas'
import { runDraft } from '@/lib/services/workflow-drafts'
import { webServices } from '@/lib/composition/web-services'

/** Runs the designer's graph as it is (no version is saved); an editor's, since it runs a graph of their making. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, draftRunBody, { size: 'large' })
  return Response.json(await runDraft(webServices().app, auth.tenantId, id, body), { status: 202 })
})
