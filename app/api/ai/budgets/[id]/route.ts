import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { aiAdmin } from '@/lib/services/ai-admin'

export const DELETE = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const { id } = await params
  await aiAdmin().deleteBudget(auth.tenantId, id)
  return new Response(null, { status: 204 })
})
