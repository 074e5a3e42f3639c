// POST /api/account/mfa/disable {password} or {code}: turns two-step sign-in off.
import { z } from 'zod'
import { clientIp } from '@/lib/audit'
import { audit, requireUser, turnOffMfa } from '@/lib/auth/account'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

const body = z.object({ password: z.string().max(200).optional(), code: z.string().trim().max(40).optional() })

export const POST = route(async (req) => {
  const ctx = await requireUser(req)
  const input = await parseJson(req, body)
  const { prisma, redis } = webServices().app
  await turnOffMfa({ prisma, redis }, ctx, input)
  await audit(prisma, ctx, 'auth.mfa_disabled', clientIp(req))
  return Response.json({ ok: true })
})
