// How long this workspace keeps its audit log (admins and owners): its own setting, bounded by the server's.
import { auditRequest } from '@/lib/audit'
import { auditSettingsBody, setWorkspaceRetention, workspaceRetention } from '@/lib/audit/retention'
import { requireAuth } from '@/lib/auth/context'
import { env } from '@/lib/env'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

async function answer(tenantId: string): Promise<Response> {
  const serverDays = env().audit.retentionDays
  const days = await workspaceRetention(webServices().prisma, tenantId)
  return Response.json({ auditRetentionDays: days, serverRetentionDays: serverDays, effectiveDays: Math.min(days ?? serverDays, serverDays) })
}

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  return answer(auth.tenantId)
})

export const PUT = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const { auditRetentionDays } = await parseJson(req, auditSettingsBody)
  await setWorkspaceRetention(webServices().prisma, auth.tenantId, auditRetentionDays)
  await auditRequest(webServices().prisma, req, auth, 'workspace.settings_changed', `workspace:${auth.tenantId}`, { auditRetentionDays })
  return answer(auth.tenantId)
})
