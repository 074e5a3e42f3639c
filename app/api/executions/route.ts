import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { appServices } from '@/lib/services/app'
import { listExecutionsQuery } from '@/lib/services/api-schemas'
import { listExecutions, parseDate } from '@/lib/services/executions'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  const q = parseQuery(req, listExecutionsQuery)
  return Response.json(
    await listExecutions(appServices().prisma, auth.tenantId, {
      ...q,
      since: parseDate(q.since, 'since'),
      until: parseDate(q.until, 'until'),
    }),
  )
})
