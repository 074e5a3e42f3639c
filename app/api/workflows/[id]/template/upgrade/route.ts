import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { previewUpgrade, upgradeBody, upgradeQuery, upgradeWorkflow } from '@/lib/services/template-use'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await previewUpgrade(webServices().prisma, auth.tenantId, id, parseQuery(req, upgradeQuery)))
})

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, upgradeBody)
  return Response.json(await upgradeWorkflow(webServices().prisma, auth, id, body))
})
