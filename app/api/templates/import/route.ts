import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { importTemplate, importTemplateBody } from '@/lib/services/template-files'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, importTemplateBody, { size: 'large' })
  return Response.json(await importTemplate(webServices().prisma, auth, body), { status: 201 })
})
