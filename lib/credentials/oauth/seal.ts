// OAuth2 tokens at rest: sealed by the vault with the workspace's data key (so a master key rotation, which re-wraps
// data keys, leaves them readable) and bound to the workspace and the credential, so a sealed token copied onto
// another row or workspace fails to open. Stored as `v<data key version>:<sealed>`.
import type { Vault } from '../vault'

export interface StoredTokens {
  accessToken: string
  refreshToken?: string
  /** ms since the epoch; absent: the provider gave no lifetime (used until an API refuses it). */
  expiresAt?: number
  scope?: string
  /** Which client settings the tokens were issued for (wire.ts fingerprint): changed settings mean new tokens. */
  fingerprint: string
}

export type TokenVault = Pick<Vault, 'seal' | 'open'>

const aad = (tenantId: string, credentialId: string) => `oauth:${tenantId}:${credentialId}`

export async function sealTokens(vault: TokenVault, tenantId: string, credentialId: string, tokens: StoredTokens): Promise<string> {
  const { sealed, keyVersion } = await vault.seal(tenantId, JSON.stringify(tokens), () => aad(tenantId, credentialId))
  return `v${keyVersion}:${sealed}`
}

export async function unsealTokens(vault: TokenVault, tenantId: string, credentialId: string, sealed: string | null): Promise<StoredTokens | undefined> {
  const m = sealed ? /^v(\d+):(.+)$/s.exec(sealed) : null
  if (!m) return undefined
  try {
    return JSON.parse(await vault.open(tenantId, Number(m[1]), m[2], aad(tenantId, credentialId), aad(tenantId, credentialId))) as StoredTokens
  } catch {
    // Sealed for another row or workspace: as good as not connected.
    return undefined
  }
}
