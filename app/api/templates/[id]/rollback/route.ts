import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { rollbackBody, rollbackTemplate } from '@/lib/services/templates'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, rollbackBody)
  return Response.json(await rollbackTemplate(webServices().prisma, auth, id, body))
})
