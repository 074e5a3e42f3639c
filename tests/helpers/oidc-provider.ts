// A real OpenID Connect / OAuth 2.0 authorization server (oidc-provider v8) on 127.0.0.1 for the OAuth2 credential
// and single sign-on tests, with its dev login and consent pages (any password; the login must be a known user) and
// a protected resource (/api/whoami) that accepts only the access tokens it issued.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
// oidc-provider ships no types (tests/helpers/oidc-provider-module.d.ts declares the little used here).
import Provider from 'oidc-provider'

interface KoaContext {
  path: string
  status: number
  body: unknown
  get(name: string): string
  set(name: string, value: string): void
}

export const TEST_USERS: Record<string, { email: string; name: string; emailVerified: boolean }> = {
  alice: { email: 'alice@example.test', name: 'Alice', emailVerified: true },
  bob: { email: 'bob@example.test', name: 'Bob', emailVerified: false },
  // Known to the provider only, until an invitation names her (tests/e2e/sso.spec.ts).
  carol: { email: 'carol@example.test', name: 'Carol', emailVerified: true },
}

export interface TestOidcProvider {
  issuer: string
  /** client_credentials: `machine` / `machine-secret`. */
  machine: { clientId: string; clientSecret: string }
  /** authorization_code + PKCE + refresh_token: `app` / `app-secret`, redirect URIs as given to start(). */
  app: { clientId: string; clientSecret: string }
  /** OIDC sign-in: `sso` / `sso-secret`. */
  sso: { clientId: string; clientSecret: string }
  /** An API that answers 200 with the token's subject for a live access token, 401 otherwise. */
  resourceUrl: string
  /** Token endpoint requests by grant type. */
  tokenRequests: Record<string, number>
  /** Ends every access token issued so far (a provider-side revocation). */
  revokeAccessTokens(): Promise<void>
  /**
   * Follows an authorization URL through the provider's login and consent pages as `login` would, and returns the
   * URL the provider finally sends the browser to (the client's redirect URI with code and state, or an error).
   */
  authorize(url: string, login: string): Promise<URL>
  close(): Promise<void>
}

export async function startOidcProvider(opts: { redirectUris: string[] }): Promise<TestOidcProvider> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const tokenRequests: Record<string, number> = {}
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'machine', client_secret: 'machine-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' },
      { client_id: 'app', client_secret: 'app-secret', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: opts.redirectUris, response_types: ['code'] },
      { client_id: 'sso', client_secret: 'sso-secret', grant_types: ['authorization_code'], redirect_uris: opts.redirectUris, response_types: ['code'] },
    ],
    scopes: ['openid', 'offline_access', 'email', 'profile', 'api:read'],
    claims: { email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx: unknown, id: string) {
      const user = TEST_USERS[id]
      if (!user) return undefined
      return { accountId: id, claims: async () => ({ sub: id, email: user.email, email_verified: user.emailVerified, name: user.name }) }
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A client-credentials token is for the API named by `resource`; authorization-code tokens without one are
        // for userinfo, as usual.
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({ scope: 'api:read', audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: 3600 }),
        useGrantedResource: () => true,
      },
    },
    pkce: { required: () => true },
    // Refresh tokens rotate: a reused one is refused, which is what the concurrent-refresh test relies on.
    rotateRefreshToken: true,
    ttl: { AccessToken: 3600, ClientCredentials: 3600, RefreshToken: 86400, Interaction: 600, Session: 600, Grant: 86400, AuthorizationCode: 60, IdToken: 3600 },
    cookies: { keys: ['test-cookie-key'] },
    jwks: undefined,
  })
  provider.on('grant.success', (ctx: { oidc: { params?: Record<string, unknown> } }) => {
    const type = String(ctx.oidc.params?.grant_type ?? 'unknown')
    tokenRequests[type] = (tokenRequests[type] ?? 0) + 1
  })
  const issued: string[] = []
  provider.on('access_token.saved', (token: { jti: string }) => issued.push(token.jti))
  provider.on('client_credentials.saved', (token: { jti: string }) => issued.push(token.jti))

  provider.use(async (ctx: KoaContext, next: () => Promise<void>) => {
    if (ctx.path !== '/api/whoami') return next()
    const token = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1]
    const found = token ? ((await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token))) : undefined
    if (!found || found.isExpired) {
      ctx.status = 401
      ctx.set('www-authenticate', 'Bearer error="invalid_token"')
      ctx.body = { error: 'invalid_token' }
      return
    }
    ctx.body = { sub: (found as { accountId?: string }).accountId ?? found.clientId, scope: found.scope }
  })
  server.on('request', provider.callback())

  async function authorize(url: string, login: string): Promise<URL> {
    const cookies = new Map<string, string>()
    const keep = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const eq = pair.indexOf('=')
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
      }
    }
    const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let next = new URL(url)
    let form: Record<string, string> | undefined
    for (let hop = 0; hop < 20; hop++) {
      if (next.origin !== issuer) return next
      const res = await fetch(next, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: cookie(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form) : undefined,
      })
      keep(res)
      form = undefined
      const location = res.headers.get('location')
      if (location) {
        next = new URL(location, next)
        continue
      }
      const html = await res.text()
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1]
      if (!action || !prompt) throw new Error(`The provider answered ${res.status} without a redirect or form: ${html.slice(0, 300)}`)
      next = new URL(action, next)
      form = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }
    }
    throw new Error('Too many hops through the provider')
  }

  return {
    issuer,
    machine: { clientId: 'machine', clientSecret: 'machine-secret' },
    app: { clientId: 'app', clientSecret: 'app-secret' },
    sso: { clientId: 'sso', clientSecret: 'sso-secret' },
    resourceUrl: `${issuer}/api/whoami`,
    tokenRequests,
    async revokeAccessTokens() {
      for (const jti of issued.splice(0)) {
        await (await provider.AccessToken.find(jti))?.destroy()
        await (await provider.ClientCredentials.find(jti))?.destroy()
      }
    },
    authorize,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
