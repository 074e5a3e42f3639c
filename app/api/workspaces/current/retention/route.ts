// How long this workspace keeps finished runs (admins and owners): days and runs per workflow. docs/retention.md.
import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { env } from '@/lib/env'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'
import { executionRetentionBody, retentionAnswer, setWorkspaceExecutionRetention, workspaceExecutionRetention } from '@/lib/services/execution-retention'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const settings = await workspaceExecutionRetention(webServices().prisma, auth.tenantId)
  return Response.json(retentionAnswer(settings, env().executionRetention.defaultDays))
})

export const PUT = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, executionRetentionBody)
  const saved = await setWorkspaceExecutionRetention(webServices().prisma, auth.tenantId, body)
  await auditRequest(webServices().prisma, req, auth, 'workspace.settings_changed', `workspace:${auth.tenantId}`, { ...saved })
  return Response.json(retentionAnswer(saved, env().executionRetention.defaultDays))
})
