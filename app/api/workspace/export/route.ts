import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { attachmentDisposition } from '@/lib/http/file-download'
import { route } from '@/lib/http/route'
import { exportWorkspace } from '@/lib/services/workspace-transfer'
import { webServices } from '@/lib/composition/web-services'

/** The whole workspace as a download, streamed as its pages are read (docs/workspace-transfer.md). */
export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const { fileName, body } = await exportWorkspace(webServices().prisma, auth.tenantId)
  await auditRequest(webServices().prisma, req, auth, 'workspace.exported', `workspace:${auth.tenantId}`)
  return new Response(body, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(fileName),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  })
})
