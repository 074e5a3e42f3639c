// POST /api/account/sessions/revoke-all: "Sign out everywhere", this session included.
import { clientIp } from '@/lib/audit'
import { audit, requireUser } from '@/lib/auth/account'
import { revokeAllSessions } from '@/lib/auth/sessions'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const ctx = await requireUser(req)
  const { prisma, redis } = webServices().app
  const count = await revokeAllSessions(prisma, redis, ctx.userId)
  await audit(prisma, ctx, 'auth.signout_everywhere', clientIp(req), { sessionsEnded: count })
  return Response.json({ ok: true, sessionsEnded: count })
})
