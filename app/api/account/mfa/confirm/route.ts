// POST /api/account/mfa/confirm {code}: turns two-step sign-in on; answers the recovery codes, shown this once.
import { z } from 'zod'
import { clientIp } from '@/lib/audit'
import { audit, requireUser } from '@/lib/auth/account'
import { confirmEnrolment } from '@/lib/auth/mfa'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

const body = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app') })

export const POST = route(async (req) => {
  const ctx = await requireUser(req)
  const { code } = await parseJson(req, body)
  const { prisma, redis } = webServices().app
  const recoveryCodes = await confirmEnrolment(prisma, redis, ctx.userId, code)
  await audit(prisma, ctx, 'auth.mfa_enabled', clientIp(req))
  return Response.json({ recoveryCodes })
})
