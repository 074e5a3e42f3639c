// POST /api/auth/reset/request {email}: emails a password reset link if the email has an account. The answer is the
// same either way. Beside next-auth's catch-all: this more specific route wins.
import { z } from 'zod'
import { clientIp } from '@/lib/audit'
import { requestPasswordReset } from '@/lib/auth/reset'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'
import { rateLimits } from '@/lib/services/rate-limits'

const body = z.object({ email: z.string().trim().email('Enter an email address').max(320) })

export const POST = route(async (req) => {
  const { email } = await parseJson(req, body)
  const { prisma, redis } = webServices().app
  await requestPasswordReset({ prisma, redis, limits: rateLimits() }, { email, ip: clientIp(req) })
  return Response.json({ ok: true, message: 'If that email has an account, a link to reset its password is on its way.' })
})
