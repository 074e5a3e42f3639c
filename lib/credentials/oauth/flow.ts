// The authorization-code flow's two halves (Connect in the studio): start sends the browser to the provider with a
// PKCE S256 challenge and a state; callback trades the code for tokens. The state is a random name for a record kept
// in Redis (never in the URL): which workspace, credential, user and session started the flow, and the PKCE verifier.
// It is taken with GETDEL, so it works once, and it expires after STATE_TTL_S.
import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { CredentialData } from '../../engine/types'
import { ForbiddenError, ValidationError } from '../../errors'
import type { OAuthTokens } from './tokens'
import { fingerprint, requestToken } from './wire'
import { credentialFetch } from '../hosts'

export const STATE_TTL_S = 600

export interface FlowDeps {
  redis: Redis
  /** Redis key prefix (the queue prefix: tests and deployments sharing a Redis stay apart). */
  prefix: string
  tokens: OAuthTokens
  fetch: typeof fetch
  /** `<studio>/api/oauth/callback`, registered at the provider. */
  redirectUri: string
}

/** Who started the flow: the callback must come back to the same session. */
export interface FlowUser {
  tenantId: string
  userId: string
  sessionId: string
}

interface PendingState extends FlowUser {
  credentialId: string
  verifier: string
}

const stateKey = (deps: FlowDeps, state: string) => `${deps.prefix}:oauth-state:${state}`

export async function startAuthorization(deps: FlowDeps, user: FlowUser, cred: CredentialData): Promise<URL> {
  if (cred.kind !== 'oauth2AuthorizationCode') throw new ValidationError(`Only an OAuth2 (authorization code) credential can be connected; this one is "${cred.kind}"`, { kind: 'must be oauth2AuthorizationCode' })
  const state = randomBytes(32).toString('base64url')
  const verifier = randomBytes(32).toString('base64url')
  const pending: PendingState = { ...user, credentialId: cred.id, verifier }
  await deps.redis.set(stateKey(deps, state), JSON.stringify(pending), 'EX', STATE_TTL_S)
  const url = new URL(cred.data.authorizeUrl)
  const scope = cred.data.scope?.trim()
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: cred.data.clientId,
    redirect_uri: deps.redirectUri,
    scope: scope || undefined,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    // OpenID Connect providers drop offline_access (no refresh token) unless the user is asked to consent.
    prompt: scope?.split(/\s+/).includes('offline_access') ? 'consent' : undefined,
  }
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v)
  return url
}

/** Takes the state (once), checks it belongs to this session, and returns what the flow was started for. */
export async function takeState(deps: FlowDeps, user: FlowUser, state: string | null): Promise<PendingState> {
  if (!state) throw new ValidationError('The provider sent no state', { state: 'is required' })
  const raw = await deps.redis.getdel(stateKey(deps, state))
  if (!raw) throw new ValidationError('This connection attempt expired or was already used: click Connect again', { state: 'is unknown, expired or used' })
  const pending = JSON.parse(raw) as PendingState
  if (pending.tenantId !== user.tenantId || pending.userId !== user.userId || pending.sessionId !== user.sessionId) {
    throw new ForbiddenError('This connection attempt was started in another session')
  }
  return pending
}

/** Trades the code for tokens and stores them sealed on the credential. */
export async function completeAuthorization(deps: FlowDeps, pending: PendingState, cred: CredentialData, code: string): Promise<void> {
  const d = cred.data
  const tokens = await requestToken(
    credentialFetch(deps.fetch, cred, 'tokenUrl'),
    { tokenUrl: d.tokenUrl, clientId: d.clientId, clientSecret: d.clientSecret, clientAuth: d.clientAuth },
    { grant_type: 'authorization_code', code, redirect_uri: deps.redirectUri, code_verifier: pending.verifier },
    fingerprint(d),
    Date.now(),
  )
  await deps.tokens.save(pending.tenantId, cred.id, tokens)
}
