// The workspace's audit log as a CSV or JSON Lines download, with the list's filters; the export is itself recorded.
import { z } from 'zod'
import { auditRequest } from '@/lib/audit'
import { auditExportStream } from '@/lib/audit/export'
import { allAudit, auditFilterQuery } from '@/lib/audit/query'
import { requireAuth } from '@/lib/auth/context'
import { attachmentDisposition } from '@/lib/http/file-download'
import { parseQuery, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

const exportQuery = auditFilterQuery.extend({ format: z.enum(['csv', 'jsonl']).default('csv') })

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const { format, ...filter } = parseQuery(req, exportQuery)
  const prisma = webServices().prisma
  await auditRequest(prisma, req, auth, 'audit.exported', `workspace:${auth.tenantId}`, { format, filter })
  const day = new Date().toISOString().slice(0, 10)
  return new Response(auditExportStream(allAudit(prisma, auth.tenantId, filter), format), {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'content-disposition': attachmentDisposition(`audit-log-${day}.${format}`),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  })
})
