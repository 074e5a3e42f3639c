import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { listTemplates, listTemplatesQuery, publishTemplate, publishTemplateBody } from '@/lib/services/templates'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listTemplates(webServices().prisma, auth.tenantId, parseQuery(req, listTemplatesQuery)))
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, publishTemplateBody, { size: 'large' })
  return Response.json(await publishTemplate(webServices().prisma, auth, body), { status: 201 })
})
