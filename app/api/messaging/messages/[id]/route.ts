import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { getMessage } from '@/lib/services/messages'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

/** One message with its content and status history. */
export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getMessage(webServices().prisma, auth.tenantId, id))
})
