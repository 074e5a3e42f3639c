import { webDeploymentAccess } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { fineTuneInputSchema, listFineTunes, startFineTune } from '@/lib/models/fine-tuning'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ jobs: await listFineTunes(getPrisma(), auth.tenantId) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, fineTuneInputSchema)
  return Response.json(await startFineTune(getPrisma(), webDeploymentAccess(), auth.tenantId, body), { status: 201 })
})
