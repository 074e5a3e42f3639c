import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { workflowTemplate } from '@/lib/services/template-use'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await workflowTemplate(webServices().prisma, auth.tenantId, id))
})
