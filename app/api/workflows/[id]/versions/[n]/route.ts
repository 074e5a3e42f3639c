import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { versionParam } from '@/lib/services/api-schemas'
import { getVersion } from '@/lib/services/workflows'
import { NotFoundError } from '@/lib/errors'
import { webServices } from '@/lib/composition/web-services'

export const GET = route<{ params: Promise<{ id: string; n: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id, n } = await ctx.params
  const number = versionParam.safeParse(n)
  if (!number.success) throw new NotFoundError(`Version ${n}`)
  return Response.json(await getVersion(webServices().prisma, auth.tenantId, id, number.data))
})
