import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { discardDelivery } from '@/lib/services/events'
import { webServices } from '@/lib/composition/web-services'

/** A dead or pending delivery is dropped for good. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'operator')
  const { id } = await ctx.params
  return Response.json(await discardDelivery(webServices().prisma, auth.tenantId, id))
})
