import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { enqueueTemplateTest, listTemplateTests, templateTestBody, testTemplate } from '@/lib/services/template-tests'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

/** Runs the version's test cases on a worker: 200 with the outcome, or 202 while it is still running after the wait. */
export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, templateTestBody)
  const run = await testTemplate({ prisma: webServices().prisma, enqueue: enqueueTemplateTest }, auth.tenantId, id, body)
  return Response.json(run, { status: run.finishedAt ? 200 : 202 })
})

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json({ runs: await listTemplateTests(webServices().prisma, auth.tenantId, id) })
})
