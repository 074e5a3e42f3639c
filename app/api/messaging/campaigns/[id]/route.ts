import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { deleteCampaign, getCampaign, webCampaignDeps } from '@/lib/messaging/campaigns'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getCampaign(webServices().prisma, auth.tenantId, id))
})

/** 409 while it is sending; its messages stay in the log. */
export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  await deleteCampaign(webCampaignDeps(webServices().prisma), auth.tenantId, id)
  return new Response(null, { status: 204 })
})
