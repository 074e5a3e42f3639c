import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { listExecutionsQuery } from '@/lib/services/api-schemas'
import { listExecutions, parseDate } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  const q = parseQuery(req, listExecutionsQuery)
  return Response.json(
    await listExecutions(webServices().prisma, auth.tenantId, {
      ...q,
      since: parseDate(q.since, 'since'),
      until: parseDate(q.until, 'until'),
    }),
  )
})
