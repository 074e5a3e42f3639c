import { getAiRouter } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { evaluationInputSchema, listEvaluations, runEvaluation } from '@/lib/models/evaluations'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ evaluations: await listEvaluations(getPrisma(), auth.tenantId) })
})

/** Runs the evaluation now (datasets are small: at most 100 cases × 6 deployments) and answers with the results. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, evaluationInputSchema, { size: 'large' })
  return Response.json(await runEvaluation(getPrisma(), getAiRouter(), auth.tenantId, body), { status: 201 })
})
