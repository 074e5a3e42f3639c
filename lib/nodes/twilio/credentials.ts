// The Twilio account the Twilio nodes send with, and whose auth token checks the signature of every request Twilio
// makes to the studio (status callbacks, inbound SMS and calls, call legs).
import { z } from 'zod'
import { defineCredentialKind, secret } from '../define'

export const twilioCredentialSchema = z.object({
  accountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'An account SID is "AC" and 32 hex digits').meta({ label: 'Account SID' }),
  authToken: secret('Auth token'),
  baseUrl: z.string().url().optional().meta({ label: 'API base URL (empty: https://api.twilio.com)' }),
})

export const twilio = defineCredentialKind({ name: 'twilio', label: 'Twilio', schema: twilioCredentialSchema })
