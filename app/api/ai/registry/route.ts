import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { aiAdmin } from '@/lib/services/ai-admin'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await aiAdmin().listRegistry(auth.tenantId))
})
