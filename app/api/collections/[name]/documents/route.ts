// A collection's documents: a page of them (viewers and up); adding documents as JSON text or uploaded files, and
// deleting them by keys or by a metadata filter (editors and up).
import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { apiScope, deleteDocumentsBody, ingestDocuments, listDocumentsQuery, requireCollection, vectorCall } from '@/lib/services/collections'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ name: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { name } = await ctx.params
  const query = parseQuery(req, listDocumentsQuery)
  const { vectors } = webServices()
  const scope = apiScope(auth, req)
  await requireCollection(vectors, scope, name)
  return Response.json(await vectorCall(() => vectors.listDocuments(scope, name, query)))
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
  const { vectors } = webServices()
  const scope = apiScope(auth, req)
  await requireCollection(vectors, scope, name)
  return Response.json(await vectorCall(() => vectors.delete(scope, name, body)))
})
