import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { importN8n, importN8nBody } from '@/lib/services/n8n-import'
import { webServices } from '@/lib/composition/web-services'

/** An n8n workflow: the preview (graph + report of what did not come across), or with `save: true` a new workflow. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const { file, ...opts } = await parseJson(req, importN8nBody, { size: 'large' })
  const result = await importN8n(webServices().app, auth, file, opts)
  if (result.id) await auditRequest(webServices().prisma, req, auth, 'workflow.imported', `workflow:${result.id}`, { name: result.name, source: 'n8n' })
  return Response.json(result, { status: result.id ? 201 : 200 })
})
