// DELETE /api/account/sessions/:id: signs one of the person's own sessions out (404 for anyone else's).
import { clientIp } from '@/lib/audit'
import { audit, requireUser } from '@/lib/auth/account'
import { revokeSession } from '@/lib/auth/sessions'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const DELETE = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const ctx = await requireUser(req)
  const { id } = await params
  const { prisma, redis } = webServices().app
  await revokeSession(prisma, redis, ctx.userId, id)
  await audit(prisma, ctx, 'auth.session_revoked', clientIp(req), { sessionId: id, current: id === ctx.sessionId })
  return new Response(null, { status: 204 })
})
