// Where OAuth2 providers send the browser back after Connect: the state must be this session's, unused and fresh;
// the code is traded for tokens (sealed on the credential) and the browser returns to the credentials page.
import { requireAuth } from '@/lib/auth/context'
import { actorOf, clientIp, recordAudit } from '@/lib/audit'
import { webServices } from '@/lib/composition/web-services'
import { env } from '@/lib/env'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { route } from '@/lib/http/route'
import { getCredentialStore } from '@/lib/credentials'
import { completeAuthorization, takeState } from '@/lib/credentials/oauth'
import { flowDeps } from '@/lib/credentials/oauth/web'

const back = (query: Record<string, string>) => {
  const url = new URL('/settings/credentials', env().publicUrl)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  return new Response(null, { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } })
}

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  if (auth.via !== 'session' || !auth.userId || !auth.sessionId) throw new ForbiddenError('Connect from the studio, signed in')
  const params = new URL(req.url).searchParams
  const deps = flowDeps()
  const pending = await takeState(deps, { tenantId: auth.tenantId, userId: auth.userId, sessionId: auth.sessionId }, params.get('state'))
  const audit = (outcome: 'success' | 'failure', data: Record<string, unknown> = {}) =>
    recordAudit(webServices().prisma, { tenantId: auth.tenantId, actor: actorOf(auth), action: 'credential.connected', target: pending.credentialId, outcome, ip: clientIp(req), data })
  const error = params.get('error')
  if (error) {
    await audit('failure', { error })
    return back({ oauth: 'error', credential: pending.credentialId, message: `The provider refused: ${error}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}` })
  }
  const code = params.get('code')
  if (!code) throw new ValidationError('The provider sent no code', { code: 'is required' })
  const cred = await getCredentialStore().getDecrypted(auth.tenantId, pending.credentialId)
  try {
    await completeAuthorization(deps, pending, cred, code)
  } catch (err) {
    await audit('failure', { error: (err as Error).message })
    return back({ oauth: 'error', credential: cred.id, message: (err as Error).message })
  }
  await audit('success')
  return back({ oauth: 'connected', credential: cred.id })
})
