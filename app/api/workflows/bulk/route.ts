import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { bulkWorkflows, bulkWorkflowsBody } from '@/lib/services/workflow-bulk'
import { webServices } from '@/lib/composition/web-services'

const AUDITED = { activate: 'workflow.activated', deactivate: 'workflow.deactivated', delete: 'workflow.deleted' } as const

/** Activate, deactivate, delete or move the given workflows; each one's outcome, in the order given. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, bulkWorkflowsBody)
  const results = await bulkWorkflows(webServices().app, webServices().files, auth, body)
  if (body.action !== 'move') {
    for (const r of results) if (r.ok) await auditRequest(webServices().prisma, req, auth, AUDITED[body.action], `workflow:${r.id}`, { bulk: true })
  }
  return Response.json({ action: body.action, results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length })
})
