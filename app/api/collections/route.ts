// The workspace's vector collections: list them (viewers and up), create one (editors and up).
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { apiScope, createCollectionBody, vectorCall } from '@/lib/services/collections'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ collections: await vectorCall(() => webServices().vectors.listCollections(apiScope(auth, req))) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, createCollectionBody)
  return Response.json(await vectorCall(() => webServices().vectors.createCollection(apiScope(auth, req), body)), { status: 201 })
})
