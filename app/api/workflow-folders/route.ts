import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { createFolder, folderBody, listFolders } from '@/lib/services/workflow-folders'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ folders: await listFolders(webServices().prisma, auth.tenantId) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const { name } = await parseJson(req, folderBody)
  return Response.json(await createFolder(webServices().prisma, auth.tenantId, name), { status: 201 })
})
