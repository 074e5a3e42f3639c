// The workspace's audit log, newest first (admins and owners): filters and a keyset cursor (lib/audit/query.ts).
import { requireAuth } from '@/lib/auth/context'
import { auditListQuery, listAudit } from '@/lib/audit/query'
import { parseQuery, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  return Response.json(await listAudit(webServices().prisma, auth.tenantId, parseQuery(req, auditListQuery)))
})
