import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { evaluationInputSchema } from '@/lib/models/evaluations'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ evaluations: await webServices().aiAdmin.listEvaluations(auth.tenantId) })
})

/** Runs the evaluation now and answers with the results. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, evaluationInputSchema, { size: 'large' })
  return Response.json(await webServices().aiAdmin.runEvaluation(auth.tenantId, body), { status: 201 })
})
