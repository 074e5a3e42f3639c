import { z } from 'zod'
import { parseJson, route } from '@/lib/http/route'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { requireActor } from '@/lib/workspaces/http'
import { createWorkspace, listWorkspaces, workspaceNameSchema } from '@/lib/workspaces/workspaces'

/** The caller's workspaces with their role in each; `current` marks the one this session (or key) works in. */
export const GET = route(async (req) => {
  const { ctx } = await requireActor(req, 'viewer')
  const workspaces = ctx.userId
    ? await listWorkspaces(webWorkspaceDeps(), ctx.userId, ctx.tenantId)
    : [{ id: ctx.tenantId, name: (await webWorkspaceDeps().prisma.tenant.findUnique({ where: { id: ctx.tenantId } }))?.name ?? '', role: ctx.role, current: true }]
  return Response.json({ workspaces })
})

export const POST = route(async (req) => {
  const actor = await requireActor(req, 'viewer')
  const { name } = await parseJson(req, z.strictObject({ name: workspaceNameSchema }))
  return Response.json({ workspace: await createWorkspace(webWorkspaceDeps(), actor, name) }, { status: 201 })
})
