// POST /api/account/password {currentPassword, newPassword}: changes the password; the other sessions end.
import { z } from 'zod'
import { clientIp } from '@/lib/audit'
import { audit, changePassword, requireUser } from '@/lib/auth/account'
import { newPasswordSchema } from '@/lib/auth/reset'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

const body = z.object({ currentPassword: z.string().max(200).default(''), newPassword: newPasswordSchema })

export const POST = route(async (req) => {
  const ctx = await requireUser(req)
  const input = await parseJson(req, body)
  const { prisma, redis } = webServices().app
  const signedOut = await changePassword({ prisma, redis }, ctx, input)
  await audit(prisma, ctx, 'auth.password_changed', clientIp(req), { otherSessionsEnded: signedOut })
  return Response.json({ ok: true, otherSessionsEnded: signedOut })
})
