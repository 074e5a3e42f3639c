import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { listVersions } from '@/lib/services/workflows'
import { webServices } from '@/lib/composition/web-services'

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json({ versions: await listVersions(webServices().prisma, auth.tenantId, id) })
})
