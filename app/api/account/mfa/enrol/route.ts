// POST /api/account/mfa/enrol: a new TOTP secret, as a QR code and as text, live once confirmed.
import { requireUser } from '@/lib/auth/account'
import { beginEnrolment } from '@/lib/auth/mfa'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const POST = route(async (req) => {
  const ctx = await requireUser(req)
  return Response.json(await beginEnrolment(webServices().app.prisma, ctx.userId))
})
