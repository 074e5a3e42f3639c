// AI usage for the usage page: cost by day, model and workflow; per-deployment performance; budgets left.
import { z } from 'zod'
import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

const query = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) })

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  const { days } = parseQuery(req, query)
  return Response.json(await webServices().aiAdmin.usage(auth.tenantId, days))
})
