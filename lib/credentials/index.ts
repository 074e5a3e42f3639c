import { getPrisma } from '../db/client'
import { env } from '../env'
import { parseKey } from './crypto'
import { CredentialStore } from './store'

export { CredentialStore, credentialInputSchema, credentialUpdateSchema, type CredentialSummary } from './store'
export { credentialKinds, credentialKindNames } from '../nodes/credential-kinds'

let store: CredentialStore | undefined
/** The process-wide store over getPrisma() and the configured key. */
export function getCredentialStore(): CredentialStore {
  store ??= new CredentialStore(getPrisma(), parseKey(env().encryptionKey))
  return store
}

export function getDecryptedCredential(tenantId: string, id: string) {
  return getCredentialStore().getDecrypted(tenantId, id)
}
