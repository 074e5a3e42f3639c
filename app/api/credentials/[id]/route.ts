import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { credentialUpdateSchema, getCredentialStore, saverOf } from '@/lib/credentials'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json(await getCredentialStore().get(auth.tenantId, id))
})

export const PUT = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, credentialUpdateSchema)
  return Response.json(await getCredentialStore().update(auth.tenantId, id, body, saverOf(auth, req)))
})

export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  await getCredentialStore().delete(auth.tenantId, id, saverOf(auth, req))
  return new Response(null, { status: 204 })
})
