// Access tokens of OAuth2 credentials: fetched on first use, kept sealed on the credential row until they expire,
// renewed (client credentials grant, or the refresh token) one caller at a time. The row lock (SELECT … FOR UPDATE)
// makes a renewal happen once across every worker and web process; the in-process map keeps parallel steps of one
// process from queueing on the lock. A provider that rotates refresh tokens refuses a reused one, so two renewals
// racing with the same refresh token would disconnect the credential.
import type { PrismaClient } from '../../db/generated/client'
import type { CredentialData } from '../../engine/types'
import { NotFoundError } from '../../errors'
import { sealTokens, unsealTokens, type StoredTokens, type TokenVault } from './seal'
import { TokenError, fingerprint, requestToken } from './wire'
import { credentialFetch } from '../hosts'

export const OAUTH_KINDS = ['oauth2ClientCredentials', 'oauth2AuthorizationCode'] as const
export const isOAuthKind = (kind: string) => (OAUTH_KINDS as readonly string[]).includes(kind)

/** A token this close to its expiry is renewed before use, so it does not expire on the way to the API. */
const EXPIRY_SKEW_MS = 30_000

export interface OAuthTokenDeps {
  prisma: PrismaClient
  /** Seals the tokens with the workspace's data key (lib/credentials/vault.ts). */
  vault: TokenVault
  /** Through the outbound guard (lib/net): token URLs are user-given. */
  fetch: typeof fetch
  now?: () => number
}

export class OAuthTokens {
  private readonly inflight = new Map<string, Promise<StoredTokens>>()
  private readonly now: () => number

  constructor(private readonly deps: OAuthTokenDeps) {
    this.now = deps.now ?? Date.now
  }

  /** The credential as a node gets it: `data.accessToken` set, and `renew()` for when an API refuses the token. */
  async resolve(tenantId: string, cred: CredentialData): Promise<CredentialData> {
    const withToken = (token: string): CredentialData => ({
      ...cred,
      data: { ...cred.data, accessToken: token },
      renew: async () => withToken(await this.accessToken(tenantId, cred, token)),
    })
    return withToken(await this.accessToken(tenantId, cred))
  }

  /**
   * A live access token. `refused`: the token an API just refused; a new one is fetched unless another caller
   * already replaced it.
   */
  async accessToken(tenantId: string, cred: CredentialData, refused?: string): Promise<string> {
    const fp = fingerprint(cred.data)
    const row = await this.deps.prisma.credential.findFirst({ where: { id: cred.id, tenantId }, select: { oauthTokens: true } })
    if (!row) throw new NotFoundError(`Credential ${cred.id}`)
    const stored = await unsealTokens(this.deps.vault, tenantId, cred.id, row.oauthTokens)
    if (this.usable(stored, fp, refused)) return stored!.accessToken
    const key = `${tenantId}:${cred.id}`
    let renewal = this.inflight.get(key)
    if (!renewal) {
      renewal = this.renewLocked(tenantId, cred, fp, refused).finally(() => this.inflight.delete(key))
      this.inflight.set(key, renewal)
    }
    return (await renewal).accessToken
  }

  /** Stores the tokens an authorization code was exchanged for (the Connect flow's callback). */
  async save(tenantId: string, credentialId: string, tokens: StoredTokens): Promise<void> {
    const { count } = await this.deps.prisma.credential.updateMany({ where: { id: credentialId, tenantId }, data: { oauthTokens: await sealTokens(this.deps.vault, tenantId, credentialId, tokens) } })
    if (!count) throw new NotFoundError('Credential')
  }

  /** Whether the credential holds tokens for its current settings (an authorization-code credential is "connected"). */
  async connected(tenantId: string, cred: CredentialData): Promise<boolean> {
    const row = await this.deps.prisma.credential.findFirst({ where: { id: cred.id, tenantId }, select: { oauthTokens: true } })
    return (await unsealTokens(this.deps.vault, tenantId, cred.id, row?.oauthTokens ?? null))?.fingerprint === fingerprint(cred.data)
  }

  /** A new token straight from the provider, stored (the "test connection" check: it proves the secret works now). */
  async renewNow(tenantId: string, cred: CredentialData): Promise<StoredTokens> {
    return this.renewLocked(tenantId, cred, fingerprint(cred.data), undefined, true)
  }

  private usable(stored: StoredTokens | undefined, fp: string, refused?: string): boolean {
    if (!stored || stored.fingerprint !== fp || stored.accessToken === refused) return false
    return stored.expiresAt === undefined || stored.expiresAt - EXPIRY_SKEW_MS > this.now()
  }

  private renewLocked(tenantId: string, cred: CredentialData, fp: string, refused: string | undefined, force = false): Promise<StoredTokens> {
    return this.deps.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ oauthTokens: string | null }[]>`SELECT "oauthTokens" FROM "Credential" WHERE "id" = ${cred.id} AND "tenantId" = ${tenantId} FOR UPDATE`
        if (!rows.length) throw new NotFoundError(`Credential ${cred.id}`)
        const stored = await unsealTokens(this.deps.vault, tenantId, cred.id, rows[0].oauthTokens)
        // Another process renewed while this one waited for the lock.
        if (!force && this.usable(stored, fp, refused)) return stored!
        const fresh = await this.fetchNew(cred, stored, fp)
        await tx.credential.updateMany({ where: { id: cred.id, tenantId }, data: { oauthTokens: await sealTokens(this.deps.vault, tenantId, cred.id, fresh) } })
        return fresh
      },
      { maxWait: 30_000, timeout: 30_000 },
    )
  }

  private async fetchNew(cred: CredentialData, stored: StoredTokens | undefined, fp: string): Promise<StoredTokens> {
    const d = cred.data
    const client = { tokenUrl: d.tokenUrl, clientId: d.clientId, clientSecret: d.clientSecret, clientAuth: d.clientAuth }
    if (cred.kind === 'oauth2ClientCredentials') {
      return requestToken(credentialFetch(this.deps.fetch, cred, 'tokenUrl'), client, { grant_type: 'client_credentials', scope: d.scope, audience: d.audience, resource: d.resource }, fp, this.now())
    }
    if (!stored || stored.fingerprint !== fp) throw new TokenError(`Credential ${cred.id} is not connected: open Settings → Credentials and click Connect`)
    if (!stored.refreshToken) throw new TokenError(`Credential ${cred.id}'s access token expired and the provider gave no refresh token (ask for offline_access): connect it again`)
    const fresh = await requestToken(credentialFetch(this.deps.fetch, cred, 'tokenUrl'), client, { grant_type: 'refresh_token', refresh_token: stored.refreshToken }, fp, this.now())
    // A provider that does not rotate refresh tokens answers without one: the old one stays good.
    return { ...fresh, refreshToken: fresh.refreshToken ?? stored.refreshToken }
  }
}
