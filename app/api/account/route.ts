// GET /api/account: the signed-in person's own profile and security state (never the TOTP secret or codes).
import { accountView, requireUser } from '@/lib/auth/account'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const ctx = await requireUser(req)
  return Response.json(await accountView(webServices().app.prisma, ctx.userId))
})
