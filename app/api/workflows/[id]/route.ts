import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { env } from '@/lib/env'
import { parseJson, route } from '@/lib/http/route'
import { updateWorkflowBody } from '@/lib/services/api-schemas'
import { deleteWorkflow, getWorkflow, updateWorkflow } from '@/lib/services/workflows'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getWorkflow(webServices().prisma, auth.tenantId, id, env().webhook.baseUrl, env().publicUrl.replace(/\/+$/, '')))
})

export const PUT = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, updateWorkflowBody, { size: 'large' })
  return Response.json(await updateWorkflow(webServices().prisma, auth, id, body))
})

export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  await deleteWorkflow(webServices().app, webServices().files, auth.tenantId, id)
  await auditRequest(webServices().prisma, req, auth, 'workflow.deleted', `workflow:${id}`)
  return new Response(null, { status: 204 })
})
