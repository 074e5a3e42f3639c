import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { replayDelivery } from '@/lib/services/events'
import { webServices } from '@/lib/composition/web-services'

/** A dead or discarded delivery starts a new cycle of attempts. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'operator')
  const { id } = await ctx.params
  return Response.json(await replayDelivery(webServices().events, auth.tenantId, id), { status: 202 })
})
