// The OAuth 2.0 token endpoint's wire format (RFC 6749 §4.1.3, §4.4, §6; RFC 7636 PKCE; RFC 8707 resource):
// form-encoded requests, JSON answers, errors as {error, error_description}. Plain fetch through the outbound guard.
import { createHash } from 'node:crypto'
import { NodeError } from '../../engine/types'
import type { StoredTokens } from './seal'

export interface ClientSettings {
  tokenUrl: string
  clientId: string
  clientSecret?: string
  clientAuth?: string
}

/** A token endpoint said no, or could not be reached: `message` says which and why, naming no secret. */
export class TokenError extends NodeError {
  constructor(message: string, opts: { retryable?: boolean; oauthError?: string; cause?: unknown } = {}) {
    super(message, { code: 'OAUTH_TOKEN', field: 'credential', retryable: opts.retryable, details: { error: opts.oauthError }, cause: opts.cause })
  }
}

/** What the stored tokens depend on: a credential edited to another client or endpoint gets new tokens. */
export function fingerprint(d: Record<string, string | undefined>): string {
  const parts = [d.tokenUrl, d.authorizeUrl, d.clientId, d.scope, d.audience, d.resource].map((v) => v ?? '')
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16)
}

export async function requestToken(
  fetchFn: typeof fetch,
  client: ClientSettings,
  params: Record<string, string | undefined>,
  fp: string,
  now: number,
  signal?: AbortSignal,
): Promise<StoredTokens> {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) body.set(k, v)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  if (client.clientAuth === 'post' || !client.clientSecret) {
    body.set('client_id', client.clientId)
    if (client.clientSecret) body.set('client_secret', client.clientSecret)
  } else {
    // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
    const id = encodeURIComponent(client.clientId)
    headers.authorization = `Basic ${Buffer.from(`${id}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`
  }
  let res: Response
  try {
    res = await fetchFn(client.tokenUrl, { method: 'POST', headers, body, signal: signal ?? AbortSignal.timeout(15_000) })
  } catch (err) {
    if (err instanceof NodeError) throw err
    throw new TokenError(`Could not reach the token URL ${origin(client.tokenUrl)}: ${(err as Error).cause ? String(((err as Error).cause as Error).message ?? '') : (err as Error).message}`, { retryable: true, cause: err })
  }
  const text = await res.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // Some servers answer errors in HTML; the status says enough.
  }
  if (!res.ok || typeof json.access_token !== 'string') {
    const error = typeof json.error === 'string' ? json.error : undefined
    const description = typeof json.error_description === 'string' ? `: ${json.error_description}` : ''
    const what = error ? `${error}${description}` : `HTTP ${res.status}${typeof json.access_token === 'string' || res.ok ? ' without an access_token' : ''}`
    throw new TokenError(`The token URL ${origin(client.tokenUrl)} refused the ${params.grant_type} request (${what})${hint(error)}`, { retryable: res.status >= 500, oauthError: error })
  }
  const expiresIn = Number(json.expires_in)
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : undefined,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : undefined,
    scope: typeof json.scope === 'string' ? json.scope : undefined,
    fingerprint: fp,
  }
}

function hint(error: string | undefined): string {
  if (error === 'invalid_client') return ' — check the client ID and client secret'
  if (error === 'invalid_grant') return ' — the authorization has expired or was revoked; connect the credential again'
  if (error === 'invalid_scope') return ' — check the scope'
  if (error === 'invalid_target') return ' — check the resource or audience'
  return ''
}

function origin(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return url
  }
}
