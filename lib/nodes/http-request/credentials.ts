// The generic header credentials the HTTP Request node applies (request-spec.ts); other nodes may accept them too.
import { z } from 'zod'
import { defineCredentialKind, secret } from '../define'

export const apiKey = defineCredentialKind({
  name: 'apiKey',
  label: 'API key (header)',
  schema: z.object({ headerName: z.string().min(1).default('X-API-Key').meta({ label: 'Header name' }), value: secret('Key') }),
})

export const bearer = defineCredentialKind({ name: 'bearer', label: 'Bearer token', schema: z.object({ token: secret('Token') }) })

export const basicAuth = defineCredentialKind({
  name: 'basicAuth',
  label: 'Basic auth',
  schema: z.object({ username: z.string().min(1).meta({ label: 'Username' }), password: secret('Password') }),
})

export const customHeaders = defineCredentialKind({
  name: 'customHeaders',
  label: 'Custom headers',
  schema: z.object({ headers: z.string().min(2).meta({ secret: true, label: 'Headers (JSON object)', ui: 'json' }) }),
})

// OAuth 2.0: the HTTP Request node sends `Authorization: Bearer <access token>`; lib/credentials/oauth fetches,
// caches (sealed, on the credential row) and refreshes the token.
const url = (label: string) => z.string().trim().url(`${label} must be a full URL such as https://auth.example.com/oauth/token`).meta({ label })
const clientAuth = z
  .enum(['basic', 'post'])
  .default('basic')
  .meta({ label: 'Client authentication ("basic": HTTP Basic header; "post": client_id and client_secret in the body)' })

export const oauth2ClientCredentials = defineCredentialKind({
  name: 'oauth2ClientCredentials',
  label: 'OAuth2 (client credentials)',
  schema: z.object({
    tokenUrl: url('Token URL'),
    clientId: z.string().trim().min(1, 'Client ID is required').meta({ label: 'Client ID' }),
    clientSecret: secret('Client secret'),
    scope: z.string().trim().optional().meta({ label: 'Scope (space-separated; empty: the client’s default)' }),
    audience: z.string().trim().optional().meta({ label: 'Audience (sent as `audience`, as Auth0 expects)' }),
    resource: z.string().trim().optional().meta({ label: 'Resource indicator (RFC 8707 `resource`)' }),
    clientAuth,
  }),
})

export const oauth2AuthorizationCode = defineCredentialKind({
  name: 'oauth2AuthorizationCode',
  label: 'OAuth2 (authorization code)',
  schema: z.object({
    authorizeUrl: url('Authorization URL'),
    tokenUrl: url('Token URL'),
    clientId: z.string().trim().min(1, 'Client ID is required').meta({ label: 'Client ID' }),
    clientSecret: z.string().optional().meta({ secret: true, label: 'Client secret (empty: a public client, PKCE only)' }),
    scope: z.string().trim().optional().meta({ label: 'Scopes (space-separated; add offline_access to get a refresh token)' }),
    clientAuth,
  }),
})
