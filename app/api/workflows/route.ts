import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { createWorkflowBody } from '@/lib/services/api-schemas'
import { createWorkflow } from '@/lib/services/workflows'
import { listWorkflows, listWorkflowsQuery } from '@/lib/services/workflow-list'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  const query = parseQuery(req, listWorkflowsQuery)
  return Response.json({ workflows: await listWorkflows(webServices().prisma, auth.tenantId, query) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, createWorkflowBody, { size: 'large' })
  const created = await createWorkflow(webServices().app, auth, body)
  await auditRequest(webServices().prisma, req, auth, 'workflow.created', `workflow:${created.id}`, { name: body.name, active: created.active })
  return Response.json(created, { status: 201 })
})
