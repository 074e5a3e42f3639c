import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { fineTuneInputSchema } from '@/lib/models/fine-tuning'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ jobs: await webServices().aiAdmin.listFineTunes(auth.tenantId) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, fineTuneInputSchema)
  return Response.json(await webServices().aiAdmin.startFineTune(auth.tenantId, body), { status: 201 })
})
