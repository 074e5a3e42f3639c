import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { nodeCatalogue } from '@/lib/nodes/catalogue'

export const GET = route(async (req) => {
  await requireAuth(req, 'viewer')
  return Response.json({ nodeTypes: nodeCatalogue() })
})
