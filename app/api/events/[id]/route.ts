import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { getEvent } from '@/lib/services/events'
import { webServices } from '@/lib/composition/web-services'

/** One event: payload, source, and each subscriber's delivery with its runs. */
export const GET = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getEvent(webServices().prisma, auth.tenantId, id))
})
