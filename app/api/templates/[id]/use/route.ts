import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { useTemplate, useTemplateBody } from '@/lib/services/template-use'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, useTemplateBody)
  return Response.json(await useTemplate(webServices().app, auth, id, body), { status: 201 })
})
