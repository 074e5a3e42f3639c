import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { bulkDeleteExecutions, bulkDeleteExecutionsBody } from '@/lib/services/execution-bulk'
import { webServices } from '@/lib/composition/web-services'

/** Delete the given finished runs; each one's outcome (a running one is refused: cancel it first). */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const { ids } = await parseJson(req, bulkDeleteExecutionsBody)
  const results = await bulkDeleteExecutions(webServices().prisma, webServices().files, auth.tenantId, ids)
  for (const r of results) if (r.ok) await auditRequest(webServices().prisma, req, auth, 'execution.deleted', `execution:${r.id}`, { bulk: true })
  return Response.json({ results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length })
})
