import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { bulkRetryExecutions, bulkRetryExecutionsBody } from '@/lib/services/execution-bulk'
import { webServices } from '@/lib/composition/web-services'

/** Re-run the given failed runs with their input; each one's outcome and the new run's id. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'operator')
  const { ids, version } = await parseJson(req, bulkRetryExecutionsBody)
  const results = await bulkRetryExecutions(webServices().app, auth.tenantId, ids, version)
  return Response.json({ results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length }, { status: 202 })
})
