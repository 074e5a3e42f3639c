import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { attachmentDisposition } from '@/lib/http/file-download'
import { parseQuery, route } from '@/lib/http/route'
import { templateFileName } from '@/lib/templates/file'
import { exportTemplate } from '@/lib/services/template-files'
import { templateVersionQuery } from '@/lib/services/templates'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  const { file, version } = await exportTemplate(webServices().prisma, auth.tenantId, id, parseQuery(req, templateVersionQuery))
  await auditRequest(webServices().prisma, req, auth, 'template.exported', `template:${id}`, { name: file.template.name, version })
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(templateFileName(file.template.name)),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  })
})
