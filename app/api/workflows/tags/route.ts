import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { listTags } from '@/lib/services/workflow-list'
import { webServices } from '@/lib/composition/web-services'

/** Every tag the workspace's workflows carry, with how many carry it. */
export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ tags: await listTags(webServices().prisma, auth.tenantId) })
})
