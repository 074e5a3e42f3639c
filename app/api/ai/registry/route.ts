import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { route } from '@/lib/http/route'
import { listRegistry } from '@/lib/models/registry'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listRegistry(getPrisma(), auth.tenantId))
})
