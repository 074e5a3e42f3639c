import { z } from 'zod'
import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { currentWorkspace, renameWorkspace, workspaceNameSchema } from '@/lib/workspaces/workspaces'

export const GET = route(async (req) => {
  const { ctx } = await requireActor(req, 'viewer')
  return Response.json({ workspace: { ...(await currentWorkspace(webWorkspaceDeps(), ctx.tenantId)), role: ctx.role } })
})

export const PATCH = route(async (req) => {
  const actor = await requireActor(req, 'admin')
  const { name } = await parseJson(req, z.strictObject({ name: workspaceNameSchema }))
  return Response.json({ workspace: await renameWorkspace(webWorkspaceDeps(), actor, name) })
})
