import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { importWorkflow, importWorkflowBody } from '@/lib/services/workflow-transfer'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const { file, ...opts } = await parseJson(req, importWorkflowBody, { size: 'large' })
  const imported = await importWorkflow(webServices().app, auth, file, opts)
  await auditRequest(webServices().prisma, req, auth, 'workflow.imported', `workflow:${imported.id}`, { source: 'auterity' })
  return Response.json(imported, { status: 201 })
})
