import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { cancelCampaign, webCampaignDeps } from '@/lib/messaging/campaigns'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

/** Only before it starts (409 naming its status after that): a cancelled campaign never sends. */
export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'operator')
  const { id } = await ctx.params
  return Response.json(await cancelCampaign(webCampaignDeps(webServices().prisma), auth.tenantId, id))
})
