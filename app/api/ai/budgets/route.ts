import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { budgetInputSchema, listBudgets, setBudget } from '@/lib/models/registry'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ budgets: await listBudgets(getPrisma(), auth.tenantId) })
})

/** Sets the limit for (workflowId, period), creating the budget if needed. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, budgetInputSchema)
  const b = await setBudget(getPrisma(), auth.tenantId, body, catalogChanged)
  return Response.json({ ...b, limitUsd: b.limitUsd.toString() })
})
