import { z } from 'zod'
import { switchWorkspace } from '@/lib/auth/sessions'
import { ValidationError } from '@/lib/errors'
import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'

/** Moves this browser session to another of the user's workspaces. An API key belongs to one workspace for good. */
export const POST = route(async (req) => {
  const { ctx } = await requireActor(req, 'viewer')
  if (ctx.via !== 'session' || !ctx.sessionId || !ctx.userId) throw new ValidationError('Only a signed-in studio session can switch workspaces; an API key belongs to its workspace')
  const { tenantId } = await parseJson(req, z.strictObject({ tenantId: z.string().min(1, 'Choose a workspace').max(100) }))
  const deps = webWorkspaceDeps()
  await switchWorkspace(deps.prisma, deps.redis, ctx.userId, ctx.sessionId, tenantId)
  return Response.json({ tenantId })
})
