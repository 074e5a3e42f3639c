import { getPrisma } from '../db/client'
import { env } from '../env'
import { parseKey } from './crypto'
import { CredentialStore } from './store'
import { isOAuthKind, oauthTokens } from './oauth'

export { CredentialStore, credentialInputSchema, credentialUpdateSchema, type CredentialSummary } from './store'
export { credentialKinds, credentialKindNames } from '../nodes/credential-kinds'

let store: CredentialStore | undefined
/** The process-wide store over getPrisma() and the configured key. */
export function getCredentialStore(): CredentialStore {
  store ??= new CredentialStore(getPrisma(), parseKey(env().encryptionKey))
  return store
}

/** OAuth2 kinds come with a live access token (lib/credentials/oauth). */
export async function getDecryptedCredential(tenantId: string, id: string) {
  const cred = await getCredentialStore().getDecrypted(tenantId, id)
  return isOAuthKind(cred.kind) ? oauthTokens().resolve(tenantId, cred) : cred
}
