// Restoring makes a new version with the old one's secret, name and allowed hosts; history is never rewritten.
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { ValidationError } from '@/lib/errors'
import { getCredentialStore, saverOf } from '@/lib/credentials'

type Ctx = { params: Promise<{ id: string; n: string }> }

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id, n } = await ctx.params
  if (!/^[1-9]\d{0,8}$/.test(n)) throw new ValidationError('The version must be a positive whole number', { version: 'must be a positive whole number' })
  return Response.json(await getCredentialStore().restore(auth.tenantId, id, Number(n), saverOf(auth, req)))
})
