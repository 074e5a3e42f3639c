import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { deleteExecution, getExecution } from '@/lib/services/executions'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getExecution(webServices().prisma, auth.tenantId, id))
})

/** The run with its steps, output and files; 409 while it is queued or running (cancel it first). */
export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  await deleteExecution(webServices().prisma, webServices().files, auth.tenantId, id)
  await auditRequest(webServices().prisma, req, auth, 'execution.deleted', `execution:${id}`)
  return new Response(null, { status: 204 })
})
