// What each credential kind holds. Browser-safe: the settings page builds its form from these schemas.
import { z } from 'zod'
import type { CredentialKind } from '../engine/types'

const secret = (label: string) => z.string().min(1, `${label} is required`).meta({ secret: true, label })

export const credentialKinds = {
  apiKey: {
    label: 'API key (header)',
    schema: z.object({ headerName: z.string().min(1).default('X-API-Key').meta({ label: 'Header name' }), value: secret('Key') }),
  },
  bearer: { label: 'Bearer token', schema: z.object({ token: secret('Token') }) },
  basicAuth: {
    label: 'Basic auth',
    schema: z.object({ username: z.string().min(1).meta({ label: 'Username' }), password: secret('Password') }),
  },
  customHeaders: {
    label: 'Custom headers',
    schema: z.object({ headers: z.string().min(2).meta({ secret: true, label: 'Headers (JSON object)', ui: 'json' }) }),
  },
  openai: {
    label: 'OpenAI',
    schema: z.object({ apiKey: secret('API key'), baseUrl: z.string().url().optional().meta({ label: 'Base URL' }), organization: z.string().optional() }),
  },
  anthropic: { label: 'Anthropic', schema: z.object({ apiKey: secret('API key'), baseUrl: z.string().url().optional().meta({ label: 'Base URL' }) }) },
  openaiCompatible: {
    label: 'OpenAI-compatible endpoint',
    schema: z.object({ baseUrl: z.string().url().meta({ label: 'Base URL' }), apiKey: z.string().optional().meta({ secret: true, label: 'API key' }) }),
  },
  twilio: {
    label: 'Twilio',
    schema: z.object({ accountSid: z.string().min(1), authToken: secret('Auth token'), baseUrl: z.string().url().optional() }),
  },
  whatsapp: {
    label: 'WhatsApp Cloud API',
    schema: z.object({ phoneNumberId: z.string().min(1), accessToken: secret('Access token'), baseUrl: z.string().url().optional() }),
  },
} satisfies Record<CredentialKind, { label: string; schema: z.ZodObject }>

export const credentialKindNames = Object.keys(credentialKinds) as CredentialKind[]

export function isCredentialKind(value: string): value is CredentialKind {
  return value in credentialKinds
}
