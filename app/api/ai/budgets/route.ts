import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { budgetInputSchema } from '@/lib/models/registry'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ budgets: await webServices().aiAdmin.listBudgets(auth.tenantId) })
})

/** Sets the limit for (workflowId, period), creating the budget if needed. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, budgetInputSchema)
  return Response.json(await webServices().aiAdmin.setBudget(auth.tenantId, body))
})
