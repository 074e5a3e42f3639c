// The process-wide OAuth2 token service (worker and web), built from lib/env; web.ts adds the Connect flow's.
import { getPrisma } from '../../db/client'
import { env } from '../../env'
import { createGuardedFetch } from '../../net/ssrf'
import { keyringFromEnv } from '../keyring'
import { Vault } from '../vault'
import { OAuthTokens } from './tokens'

export { OAUTH_KINDS, OAuthTokens, isOAuthKind } from './tokens'
export { TokenError } from './wire'
export { completeAuthorization, startAuthorization, takeState, type FlowUser } from './flow'

const byPrisma = new WeakMap<object, { tokens: OAuthTokens; fetch: typeof fetch }>()

/** The token service and the guarded fetch it uses, per database client. */
export function oauthServices() {
  const prisma = getPrisma()
  let found = byPrisma.get(prisma)
  if (!found) {
    const { fetch } = createGuardedFetch({ ...env().http, field: 'tokenUrl' })
    found = { tokens: new OAuthTokens({ prisma, vault: new Vault(prisma, keyringFromEnv()), fetch }), fetch }
    byPrisma.set(prisma, found)
  }
  return found
}

export const oauthTokens = (): OAuthTokens => oauthServices().tokens
