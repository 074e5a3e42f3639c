// The SMTP server the Send Email node sends through. Credential data is text (the settings form has text fields
// only): the port is validated text, the security mode one of three words.
import { z } from 'zod'
import { defineCredentialKind } from '../define'

export const smtpCredentialSchema = z.object({
  host: z.string().trim().min(1, 'Host is required').meta({ label: 'Host' }),
  port: z.string().trim().regex(/^\d{1,5}$/, 'Port must be a whole number').default('587').meta({ label: 'Port (587 STARTTLS, 465 TLS, 25 none)' }),
  security: z.enum(['starttls', 'tls', 'none']).default('starttls').meta({ label: 'Security ("starttls": required upgrade; "tls": TLS from the start; "none")' }),
  user: z.string().trim().optional().meta({ label: 'User (empty: no login)' }),
  password: z.string().optional().meta({ secret: true, label: 'Password' }),
})

export const smtp = defineCredentialKind({ name: 'smtp', label: 'SMTP', schema: smtpCredentialSchema })
