// Provider credentials of the AI nodes: a model deployment references one, the router reads apiKey and baseUrl.
import { z } from 'zod'
import { defineCredentialKind, secret } from '../define'

export const openai = defineCredentialKind({
  name: 'openai',
  label: 'OpenAI',
  schema: z.object({ apiKey: secret('API key'), baseUrl: z.string().url().optional().meta({ label: 'Base URL' }), organization: z.string().optional() }),
})

export const anthropic = defineCredentialKind({
  name: 'anthropic',
  label: 'Anthropic',
  schema: z.object({ apiKey: secret('API key'), baseUrl: z.string().url().optional().meta({ label: 'Base URL' }) }),
})

export const openaiCompatible = defineCredentialKind({
  name: 'openaiCompatible',
  label: 'OpenAI-compatible endpoint',
  schema: z.object({ baseUrl: z.string().url().meta({ label: 'Base URL' }), apiKey: z.string().optional().meta({ secret: true, label: 'API key' }) }),
})
