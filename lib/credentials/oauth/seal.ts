// OAuth2 tokens at rest: sealed with the credential key and bound to the workspace and the credential, so a sealed
// token copied onto another row or workspace fails to open. The one place to switch to the vault's own seal/unseal.
import { decrypt, encrypt } from '../crypto'

export interface StoredTokens {
  accessToken: string
  refreshToken?: string
  /** ms since the epoch; absent: the provider gave no lifetime (used until an API refuses it). */
  expiresAt?: number
  scope?: string
  /** Which client settings the tokens were issued for (wire.ts fingerprint): changed settings mean new tokens. */
  fingerprint: string
}

const aad = (tenantId: string, credentialId: string) => `oauth:${tenantId}:${credentialId}`

export function sealTokens(key: Buffer, tenantId: string, credentialId: string, tokens: StoredTokens): string {
  return encrypt(JSON.stringify(tokens), key, aad(tenantId, credentialId))
}

export function unsealTokens(key: Buffer, tenantId: string, credentialId: string, sealed: string | null): StoredTokens | undefined {
  if (!sealed) return undefined
  try {
    return JSON.parse(decrypt(sealed, key, aad(tenantId, credentialId))) as StoredTokens
  } catch {
    // Sealed under another key or row: as good as not connected.
    return undefined
  }
}
