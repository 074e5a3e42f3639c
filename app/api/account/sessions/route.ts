// GET /api/account/sessions: the signed-in person's live sessions, the one asking marked `current`.
import { listSessions, requireUser } from '@/lib/auth/account'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const ctx = await requireUser(req)
  return Response.json({ sessions: await listSessions(webServices().app.prisma, ctx) })
})
