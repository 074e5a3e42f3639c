import { getPrisma } from '../db/client'
import { env } from '../env'
import { actorOf, clientIp } from '../audit'
import type { AuthContext } from '../auth/context'
import { keyringFromEnv } from './keyring'
import { isOAuthKind, oauthTokens } from './oauth'
import { CredentialStore, type Saver } from './store'
import { Vault } from './vault'

export {
  CredentialStore, CredentialDecryptError, credentialInputSchema, credentialUpdateSchema,
  type CredentialSummary, type CredentialVersionSummary, type Saver,
} from './store'
export { credentialKinds, credentialKindNames } from '../nodes/credential-kinds'

let store: { env: object; store: CredentialStore } | undefined
/** The process-wide store over getPrisma() and the configured master keys (made again when tests reset the env). */
export function getCredentialStore(): CredentialStore {
  const e = env()
  if (store?.env !== e) store = { env: e, store: new CredentialStore(getPrisma(), new Vault(getPrisma(), keyringFromEnv())) }
  return store.store
}

/** OAuth2 kinds come with a live access token (lib/credentials/oauth). */
export async function getDecryptedCredential(tenantId: string, id: string) {
  const cred = await getCredentialStore().getDecrypted(tenantId, id)
  return isOAuthKind(cred.kind) ? oauthTokens().resolve(tenantId, cred) : cred
}

/** The request's actor, as credential changes record it. */
export function saverOf(auth: Pick<AuthContext, 'userId' | 'via' | 'apiKeyId'>, req: Pick<Request, 'headers'>): Saver {
  return { actor: actorOf(auth), userId: auth.userId, ip: clientIp(req) }
}
