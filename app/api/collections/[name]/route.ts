// One collection: its settings and counts (viewers and up); deleting it drops its documents and vectors (editors).
import { auditRequest } from '@/lib/audit'
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { apiScope, requireCollection, vectorCall } from '@/lib/services/collections'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ name: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { name } = await ctx.params
  return Response.json(await requireCollection(webServices().vectors, apiScope(auth, req), name))
})

/** Answers what was removed: { documents, chunks }. */
export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { name } = await ctx.params
  const removed = await vectorCall(() => webServices().vectors.delete(apiScope(auth, req), name, { dropCollection: true }))
  await auditRequest(webServices().prisma, req, auth, 'collection.deleted', `collection:${name}`, { ...removed })
  return Response.json(removed)
})
