import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { deleteTemplate, getTemplate, templateVersionQuery } from '@/lib/services/templates'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getTemplate(webServices().prisma, auth.tenantId, id, parseQuery(req, templateVersionQuery)))
})

export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  await deleteTemplate(webServices().prisma, auth.tenantId, id)
  await auditRequest(webServices().prisma, req, auth, 'template.deleted', `template:${id}`)
  return new Response(null, { status: 204 })
})
