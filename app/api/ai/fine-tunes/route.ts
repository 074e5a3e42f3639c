import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { fineTuneInputSchema } from '@/lib/models/fine-tuning'
import { aiAdmin } from '@/lib/services/ai-admin'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ jobs: await aiAdmin().listFineTunes(auth.tenantId) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, fineTuneInputSchema)
  return Response.json(await aiAdmin().startFineTune(auth.tenantId, body), { status: 201 })
})
