// A collection's documents: a page of them (viewers and up); adding documents as JSON text or uploaded files, and
// deleting them by keys or by a metadata filter (editors and up).
import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { apiScope, deleteDocumentsBody, ingestDocuments, listDocumentsQuery, vectorCall } from '@/lib/services/collections'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ name: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { name } = await ctx.params
  const query = parseQuery(req, listDocumentsQuery)
  return Response.json(await vectorCall(() => webServices().vectors.listDocuments(apiScope(auth, req), name, query)))
})

/** JSON `{ documents: [{ key, text, … }] }` or multipart/form-data files; answers `{ results: IngestResult[] }`. */
export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { name } = await ctx.params
  return Response.json({ results: await ingestDocuments(webServices(), apiScope(auth, req), name, req) })
})

/** Answers what was removed: { documents, chunks }. */
export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { name } = await ctx.params
  const body = await parseJson(req, deleteDocumentsBody)
  return Response.json(await vectorCall(() => webServices().vectors.delete(apiScope(auth, req), name, body)))
})
