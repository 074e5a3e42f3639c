import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { attachmentDisposition } from '@/lib/http/file-download'
import { parseQuery, route } from '@/lib/http/route'
import { exportFileName } from '@/lib/services/workflow-file'
import { exportQuery, exportWorkflow } from '@/lib/services/workflow-transfer'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  const { file } = await exportWorkflow(webServices().prisma, auth.tenantId, id, parseQuery(req, exportQuery))
  await auditRequest(webServices().prisma, req, auth, 'workflow.exported', `workflow:${id}`, { name: file.workflow.name })
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(exportFileName(file.workflow.name)),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  })
})
