import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { newVersionBody, publishVersion } from '@/lib/services/templates'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, newVersionBody, { size: 'large' })
  return Response.json(await publishVersion(webServices().prisma, auth, id, body), { status: 201 })
})
