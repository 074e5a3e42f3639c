// The Redis server the Redis node talks to. Credential data is text (the settings form has text fields only), so
// numbers and the TLS switch are validated text here and read as numbers and a boolean by the node (connect.ts).
import { z } from 'zod'
import { defineCredentialKind } from '../define'

const digits = (label: string, fallback: string) =>
  z.string().trim().regex(/^\d{1,5}$/, `${label} must be a whole number`).default(fallback).meta({ label })

export const redisCredentialSchema = z.object({
  host: z.string().trim().min(1, 'Host is required').meta({ label: 'Host' }),
  port: digits('Port', '6379'),
  username: z.string().trim().optional().meta({ label: 'Username (Redis 6+ ACL user; empty: the default user)' }),
  password: z.string().optional().meta({ secret: true, label: 'Password' }),
  database: digits('Database number', '0'),
  tls: z.enum(['off', 'on']).default('off').meta({ label: 'TLS ("on" or "off")' }),
})

export const redis = defineCredentialKind({ name: 'redis', label: 'Redis', schema: redisCredentialSchema })
