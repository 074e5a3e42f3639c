import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { credentialInputSchema, getCredentialStore, saverOf } from '@/lib/credentials'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json({ credentials: await getCredentialStore().list(auth.tenantId) })
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, credentialInputSchema)
  const created = await getCredentialStore().create(auth.tenantId, body, saverOf(auth, req))
  return Response.json({ id: created.id }, { status: 201 })
})
