import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { route } from '@/lib/http/route'
import { deleteBudget } from '@/lib/models/registry'

export const DELETE = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const { id } = await params
  await deleteBudget(getPrisma(), auth.tenantId, id, catalogChanged)
  return new Response(null, { status: 204 })
})
