// Connect (OAuth2 authorization code): sends the signed-in editor's browser to the provider.
import { requireAuth } from '@/lib/auth/context'
import { ForbiddenError } from '@/lib/errors'
import { route } from '@/lib/http/route'
import { getCredentialStore } from '@/lib/credentials'
import { startAuthorization } from '@/lib/credentials/oauth'
import { flowDeps } from '@/lib/credentials/oauth/web'

type Ctx = { params: Promise<{ id: string }> }

export const GET = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  // The callback must come back to this browser session; an API key has none.
  if (auth.via !== 'session' || !auth.userId || !auth.sessionId) throw new ForbiddenError('Connect from the studio, signed in')
  const { id } = await ctx.params
  const cred = await getCredentialStore().getDecrypted(auth.tenantId, id)
  const url = await startAuthorization(flowDeps(), { tenantId: auth.tenantId, userId: auth.userId, sessionId: auth.sessionId }, cred)
  return new Response(null, { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } })
})
