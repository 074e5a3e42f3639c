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
