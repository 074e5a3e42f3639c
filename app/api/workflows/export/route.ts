import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { attachmentDisposition } from '@/lib/http/file-download'
import { parseQuery, route } from '@/lib/http/route'
import { exportWorkflows, exportWorkflowsQuery } from '@/lib/services/workflow-bulk'
import { webServices } from '@/lib/composition/web-services'

/** Several workflows in one file: `{ format: 'auterity.workflows', workflows: [<each one's export file>] }`. */
export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  const { ids } = parseQuery(req, exportWorkflowsQuery)
  const file = await exportWorkflows(webServices(), auth.tenantId, ids)
  for (const id of ids) await auditRequest(webServices().prisma, req, auth, 'workflow.exported', `workflow:${id}`, { bulk: true })
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(`workflows-${file.exportedAt.slice(0, 10)}.auterity.json`),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  })
})
