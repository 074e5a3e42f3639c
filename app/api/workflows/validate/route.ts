import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { validateBody } from '@/lib/services/api-schemas'
import { checkGraph } from '@/lib/services/validation'

export const POST = route(async (req) => {
  await requireAuth(req, 'viewer')
  const { graph } = await parseJson(req, validateBody, { size: 'large' })
  const { ok, problems } = checkGraph(graph)
  return Response.json({ ok, problems })
})
