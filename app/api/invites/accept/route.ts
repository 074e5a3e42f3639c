import { clientIp } from '@/lib/audit'
import { authenticateSessionCookie } from '@/lib/auth/context'
import { assertSameOrigin } from '@/lib/auth/origin'
import { env } from '@/lib/env'
import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { acceptInputSchema, acceptInvite } from '@/lib/workspaces/invites'

/**
 * Accepts an invitation: a signed-in user joins (their session moves to the workspace); anyone else creates an
 * account with name and password, then signs in. Needs no session, so a signed-in session is only used from the
 * studio's own origin (a forged cross-site request must not make someone join).
 */
export const POST = route(async (req) => {
  const session = await authenticateSessionCookie(req.headers.get('cookie'))
  if (session) assertSameOrigin(req, env().publicUrl)
  const input = await parseJson(req, acceptInputSchema)
  return Response.json(await acceptInvite(webWorkspaceDeps(), input, session, clientIp(req)))
})
