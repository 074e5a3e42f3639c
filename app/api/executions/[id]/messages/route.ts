import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { runConversation } from '@/lib/services/messages'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

/** The run's conversation: its messages and calls, oldest first. */
export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await runConversation(webServices().prisma, auth.tenantId, id))
})
