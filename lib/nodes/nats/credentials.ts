// The NATS servers the NATS nodes talk to, and how to log in (a token, or a user and password).
import { z } from 'zod'
import { defineCredentialKind } from '../define'

export const natsCredentialSchema = z.object({
  servers: z
    .string()
    .trim()
    .min(1, 'Servers are required')
    .meta({ label: 'Servers, comma-separated (host:port or nats://host:port; default port 4222)' }),
  token: z.string().optional().meta({ secret: true, label: 'Token (instead of user and password)' }),
  user: z.string().trim().optional().meta({ label: 'User' }),
  password: z.string().optional().meta({ secret: true, label: 'Password' }),
  tls: z.enum(['off', 'on']).default('off').meta({ label: 'TLS ("on" or "off"; a tls:// server turns it on)' }),
})

export const nats = defineCredentialKind({ name: 'nats', label: 'NATS', schema: natsCredentialSchema })
