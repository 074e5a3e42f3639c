// A document's chunks in order, with their text and token counts (viewers and up). The key is URL-encoded in the
// path (keys such as "guides/refunds.md" hold slashes).
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { apiScope, vectorCall } from '@/lib/services/collections'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ name: string; key: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { name, key } = await ctx.params
  return Response.json({ chunks: await vectorCall(() => webServices().vectors.listChunks(apiScope(auth, req), name, key)) })
})
