import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { testStepBody } from '@/lib/services/api-schemas'
import { testStep } from '@/lib/services/test-step'
import { webServices } from '@/lib/composition/web-services'

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, testStepBody, { size: 'large' })
  return Response.json(await testStep(webServices().prisma, auth.tenantId, id, body))
})
