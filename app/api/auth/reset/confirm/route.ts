// POST /api/auth/reset/confirm {token, password}: sets the new password from a reset link; signs the user out
// everywhere.
import { z } from 'zod'
import { clientIp } from '@/lib/audit'
import { confirmPasswordReset, newPasswordSchema } from '@/lib/auth/reset'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'
import { rateLimits } from '@/lib/services/rate-limits'

const body = z.object({ token: z.string().min(1, 'The link has no token').max(200), password: newPasswordSchema })

export const POST = route(async (req) => {
  const input = await parseJson(req, body)
  const { prisma, redis } = webServices().app
  await confirmPasswordReset({ prisma, redis, limits: rateLimits() }, { ...input, ip: clientIp(req) })
  return Response.json({ ok: true })
})
