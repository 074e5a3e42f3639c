import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { assertJsonContentType, parseJsonText, readBodyText } from '@/lib/http/body'
import { route } from '@/lib/http/route'
import { MAX_WORKSPACE_BODY_BYTES } from '@/lib/services/workspace-file'
import { importWorkspace, importWorkspaceBody } from '@/lib/services/workspace-transfer'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  // A workspace file is larger than the API's large-body limit: its own limit, enforced while the body streams in.
  const text = await readBodyText(req, MAX_WORKSPACE_BODY_BYTES)
  if (text) assertJsonContentType(req)
  const { file, ...opts } = importWorkspaceBody.parse(parseJsonText(text))
  const report = await importWorkspace(webServices().prisma, auth, file, opts)
  if (!report.dryRun) await auditRequest(webServices().prisma, req, auth, 'workspace.imported', `workspace:${auth.tenantId}`, { workflows: report.workflows.length, templates: report.templates.length })
  return Response.json(report, { status: report.dryRun ? 200 : 201 })
})
