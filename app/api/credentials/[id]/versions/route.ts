// Every saved version of a credential: who saved it and when, its name and allowed hosts; never its secret.
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { getCredentialStore } from '@/lib/credentials'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return Response.json({ versions: await getCredentialStore().versions(auth.tenantId, id) })
})
