// A search of one collection (viewers and up): the hits with why each ranked where it did (lib/vector SearchResult).
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { apiScope, searchBody, vectorCall } from '@/lib/services/collections'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ name: string }> }

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { name } = await ctx.params
  const body = await parseJson(req, searchBody)
  return Response.json(await vectorCall(() => webServices().vectors.search(apiScope(auth, req), name, body)))
})
