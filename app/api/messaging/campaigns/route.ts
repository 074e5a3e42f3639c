import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { campaignInput, createCampaign, listCampaigns, webCampaignDeps } from '@/lib/messaging/campaigns'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listCampaigns(webServices().prisma, auth.tenantId))
})

/** Schedules a campaign; the answer lists the duplicate recipients that were dropped. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, campaignInput, { size: 'large' })
  return Response.json(await createCampaign(webCampaignDeps(webServices().prisma), auth.tenantId, auth.userId, body), { status: 201 })
})
