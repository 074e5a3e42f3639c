import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { deleteFolder, folderBody, renameFolder } from '@/lib/services/workflow-folders'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }

export const PUT = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const { name } = await parseJson(req, folderBody)
  return Response.json(await renameFolder(webServices().prisma, auth.tenantId, id, name))
})

/** The folder only: its workflows move to the top level. */
export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  return Response.json(await deleteFolder(webServices().prisma, auth.tenantId, id))
})
